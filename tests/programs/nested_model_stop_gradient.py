"""An encoder model nested in a classifier; a custom normalisation layer wraps
the encoder output in tf.stop_gradient ("to avoid NaN gradients at zero norm"),
so only the classifier head trains.

---
framework: both
outcome: warning
cause: stop_gradient
line: 23
variables: [enc_1, enc_2]
"""
import tensorflow as tf

encoder = tf.keras.Sequential(
    [tf.keras.Input((20,)), tf.keras.layers.Dense(32, activation="relu", name="enc_1"),
     tf.keras.layers.Dense(16, name="enc_2")],
    name="encoder",
)


class L2Normalize(tf.keras.layers.Layer):
    def call(self, inputs):
        inputs = tf.stop_gradient(inputs)
        norm = tf.sqrt(tf.reduce_sum(tf.square(inputs), axis=-1, keepdims=True) + 1e-6)
        return inputs / norm


inputs = tf.keras.Input((20,), name="features")
embedding = L2Normalize(name="l2_normalize")(encoder(inputs))
logits = tf.keras.layers.Dense(5, name="head")(embedding)
model = tf.keras.Model(inputs, logits, name="classifier")

loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-3)
x = tf.random.normal((64, 20))
y = tf.random.uniform((64,), 0, 5, dtype=tf.int32)

for step in range(3):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"step {step}: loss {float(loss):.4f}")
