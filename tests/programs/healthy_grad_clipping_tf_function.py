"""Healthy: a `@tf.function` train step with BatchNormalization, Dropout, a
keras.losses loss and `tf.clip_by_global_norm` on the gradients.

---
framework: both
outcome: trains_fine
cause: none
"""
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared

model = tf.keras.Sequential(
    [
        tf.keras.Input((8,)),
        tf.keras.layers.Dense(32, name="dense_in"),
        tf.keras.layers.BatchNormalization(name="bn"),
        tf.keras.layers.Activation("relu", name="relu"),
        tf.keras.layers.Dropout(0.2, name="drop"),
        tf.keras.layers.Dense(1, name="dense_out"),
    ],
    name="clipped_mlp",
)
loss_fn = tf.keras.losses.Huber(delta=1.0)
optimizer = tf.keras.optimizers.SGD(0.05, momentum=0.9)
x = np.random.rand(128, 8).astype("float32")
y = (x.sum(axis=1, keepdims=True) + 0.1 * np.random.randn(128, 1)).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)


@tf.function
def train_step(xb, yb):
    with tf.GradientTape() as tape:
        pred = model(xb, training=True)
        loss = loss_fn(yb, pred)
    grads = tape.gradient(loss, model.trainable_variables)
    clipped, global_norm = tf.clip_by_global_norm(grads, 1.0)
    optimizer.apply_gradients(zip(clipped, model.trainable_variables))
    return loss, global_norm


for epoch in range(3):
    for xb, yb in dataset:
        loss, norm = train_step(xb, yb)
    print(f"epoch {epoch}: loss {float(loss):.4f} grad norm {float(norm):.4f}")
