"""An eager training loop computes the logits before opening the tape; only the
loss is recorded, so nothing connects it to the model's weights.

---
framework: both
outcome: error
cause: outside_tape
line: 30
variables: [conv, dense_out]
"""
import tensorflow as tf

model = tf.keras.Sequential(
    [
        tf.keras.Input((28, 28, 1)),
        tf.keras.layers.Conv2D(4, 3, activation="relu", name="conv"),
        tf.keras.layers.GlobalAveragePooling2D(name="pool"),
        tf.keras.layers.Dense(10, name="dense_out"),
    ],
    name="digits",
)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.SGD(0.05)
images = tf.random.uniform((48, 28, 28, 1))
labels = tf.random.uniform((48,), 0, 10, dtype=tf.int32)
dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(16)

for epoch in range(2):
    for x, y in dataset:
        logits = model(x, training=True)
        with tf.GradientTape() as tape:
            loss = loss_fn(y, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"epoch {epoch}: loss {float(loss):.4f}")
