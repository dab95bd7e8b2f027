"""Healthy program: gradient accumulation over micro-batches, the method described by the
GradientAccumulator project for TF2/Keras. Gradients of K micro-batches of size M are
each scaled by 1/K and summed into non-trainable accumulator variables; the optimizer
steps once per K micro-batches and the accumulators are then reset. The model is a
functional CNN whose first conv block is frozen (`layer.trainable = False`), so the
accumulators are sized from `model.trainable_variables` only. The program first checks
that one accumulated gradient equals the gradient of the full K*M batch, then trains.
All gradients exist and the loss goes down.
---
source: https://gradientaccumulator.readthedocs.io/en/stable/background/gradient_accumulation.html
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras

K, M = 4, 16
offset = np.random.rand(512, 1, 1, 1).astype("float32")
x_all = (0.5 * np.random.rand(512, 12, 12, 1) + offset).astype("float32")
y_all = (offset.ravel() > 0.5).astype("int32")

inputs = keras.Input(shape=(12, 12, 1))
h = keras.layers.Conv2D(8, 3, activation="relu", name="stem")(inputs)
h = keras.layers.Conv2D(8, 3, activation="relu", name="block")(h)
h = keras.layers.GlobalAveragePooling2D()(h)
outputs = keras.layers.Dense(2, name="classifier")(h)
model = keras.Model(inputs, outputs)
model.get_layer("stem").trainable = False          # frozen part

loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(1e-2)
accum = [tf.Variable(tf.zeros_like(v), trainable=False) for v in model.trainable_variables]


@tf.function
def accumulate(xb, yb):
    with tf.GradientTape() as tape:
        loss = loss_fn(yb, model(xb, training=True)) / K
    grads = tape.gradient(loss, model.trainable_variables)
    for a, g in zip(accum, grads):
        a.assign_add(g)
    return loss * K


@tf.function
def apply_and_reset():
    optimizer.apply_gradients(zip([a.read_value() for a in accum], model.trainable_variables))
    for a in accum:
        a.assign(tf.zeros_like(a))


# sanity check: K accumulated micro-batch gradients == gradient of the K*M batch
xb, yb = x_all[:K * M], y_all[:K * M]
with tf.GradientTape() as tape:
    full_grads = tape.gradient(loss_fn(yb, model(xb)), model.trainable_variables)
for i in range(K):
    accumulate(xb[i * M:(i + 1) * M], yb[i * M:(i + 1) * M])
diff = max(float(tf.reduce_max(tf.abs(a - g))) for a, g in zip(accum, full_grads))
print("max |accumulated - full-batch| gradient:", f"{diff:.2e}")
for a in accum:
    a.assign(tf.zeros_like(a))

stem_before = model.get_layer("stem").kernel.numpy().copy()
ds = tf.data.Dataset.from_tensor_slices((x_all, y_all)).shuffle(512, seed=0).batch(M, drop_remainder=True)
for epoch in range(10):
    losses = []
    for i, (xb, yb) in enumerate(ds):
        losses.append(float(accumulate(xb, yb)))
        if (i + 1) % K == 0:
            apply_and_reset()
    print(f"epoch {epoch}: mean micro-batch loss {np.mean(losses):.4f}")

acc = np.mean(np.argmax(model(x_all).numpy(), -1) == y_all)
print("train accuracy:", round(float(acc), 3), "| trainable tensors:", len(model.trainable_variables))
print("frozen stem unchanged:", bool(np.array_equal(stem_before, model.get_layer("stem").kernel.numpy())))
