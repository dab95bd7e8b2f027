"""Healthy program: a classifier trained with input-gradient regularization ("double
backprop"). It follows the "Input gradient regularization" / higher-order gradients part
of the TensorFlow guide on advanced automatic differentiation. An inner tape opened with
`watch_accessed_variables=False` watches only the input batch (`t1.watch(x)`) and gives
d(loss)/dx. The outer tape, which records everything, then differentiates the
cross-entropy plus the squared norm of that input gradient with respect to the model's
weights. The inner gradient is computed inside the outer tape, so the penalty stays
connected to every kernel and bias, and all variables train. The guide's single Dense layer
becomes a small MLP trained on random two-class data.
---
source: https://www.tensorflow.org/guide/advanced_autodiff
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras

n, d = 512, 8
x_all = np.random.randn(n, d).astype("float32")
y_all = (x_all[:, 0] + 0.5 * x_all[:, 1] > 0).astype("int32")
ds = tf.data.Dataset.from_tensor_slices((x_all, y_all)).shuffle(n, seed=0).batch(64)

model = keras.Sequential([
    keras.Input(shape=(d,)),
    keras.layers.Dense(32, activation="softplus"),
    keras.layers.Dense(32, activation="softplus"),
    keras.layers.Dense(2),
])
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
optimizer = keras.optimizers.Adam(1e-2)
penalty_weight = 0.1


@tf.function
def train_step(x, y):
    with tf.GradientTape() as outer:
        with tf.GradientTape(watch_accessed_variables=False) as inner:
            inner.watch(x)
            per_example = loss_fn(y, model(x, training=True))
            summed = tf.reduce_sum(per_example)
        g_x = inner.gradient(summed, x)                   # per-example d(loss)/d(input), recorded
        ce = tf.reduce_mean(per_example)
        penalty = tf.reduce_mean(tf.reduce_sum(tf.square(g_x), axis=-1))
        total = ce + penalty_weight * penalty
    grads = outer.gradient(total, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return ce, penalty, grads


first_kernel = model.layers[0].kernel.numpy().copy()
for epoch in range(5):
    for x, y in ds:
        ce, pen, grads = train_step(x, y)
    print(f"epoch {epoch}: ce={float(ce):.4f} grad-penalty={float(pen):.5f}")

assert all(g is not None for g in grads)
acc = np.mean(np.argmax(model(x_all).numpy(), -1) == y_all)
print("gradients present for all", len(grads), "variables; train accuracy:", round(float(acc), 3))
print("first kernel moved:", bool(np.abs(model.layers[0].kernel.numpy() - first_kernel).max() > 0))
