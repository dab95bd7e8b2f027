"""A subclassed Keras 3 model keeps a learnable softmax temperature as a raw
tf.Variable; Keras 3 does not track it, so only the Dense layers are trained.

---
framework: keras3
outcome: trains_silently
cause: untracked_variable
line: 20
variables: [temperature]
"""
import tensorflow as tf


class CalibratedClassifier(tf.keras.Model):
    def __init__(self, n_classes, **kwargs):
        super().__init__(**kwargs)
        self.hidden = tf.keras.layers.Dense(32, activation="relu", name="hidden")
        self.logits = tf.keras.layers.Dense(n_classes, name="logits")
        # Learnable temperature for calibrated probabilities.
        self.temperature = tf.Variable(1.0, name="temperature")

    def call(self, inputs):
        return self.logits(self.hidden(inputs)) / self.temperature


model = CalibratedClassifier(3, name="calibrated")
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-2)
x = tf.random.normal((64, 5))
y = tf.random.uniform((64,), 0, 3, dtype=tf.int32)

for step in range(5):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
print("trainable:", [v.name for v in model.trainable_variables])
print(f"loss {float(loss):.4f}, temperature {float(model.temperature.numpy()):.3f}")
