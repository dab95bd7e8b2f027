"""A custom "binary gate" layer in a Sequential model thresholds its own sigmoid
output into a 0/1 mask and returns only the mask.

---
framework: both
outcome: error
cause: nondifferentiable_op
line: 26
also: [integer_cast]
variables: [gate/kernel, gate/bias, hidden]
"""
import tensorflow as tf


class BinaryGate(tf.keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs):
        probs = tf.sigmoid(tf.matmul(inputs, self.kernel) + self.bias)
        return tf.cast(probs > 0.5, tf.float32)


model = tf.keras.Sequential(
    [tf.keras.Input((10,)), tf.keras.layers.Dense(16, activation="relu", name="hidden"),
     BinaryGate(3, name="gate")],
    name="gated",
)
optimizer = tf.keras.optimizers.SGD(0.1)
x = tf.random.normal((32, 10))
targets = tf.cast(tf.random.uniform((32, 3)) > 0.5, tf.float32)

for step in range(3):
    with tf.GradientTape() as tape:
        mask = model(x, training=True)
        loss = tf.reduce_mean(tf.keras.losses.binary_crossentropy(targets, mask))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"step {step}: loss {float(loss):.4f}")
