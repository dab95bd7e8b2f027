"""Healthy: a functional-API model with a custom train_step done right: forward
pass inside the tape, compiled loss, and metrics updated and returned.

---
framework: both
outcome: trains_fine
cause: none
"""
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared


class TrackedModel(tf.keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = tf.keras.metrics.Mean(name="loss")
        self.mae = tf.keras.metrics.MeanAbsoluteError(name="mae")

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae]

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = tf.reduce_mean(tf.keras.losses.huber(y, y_pred))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        self.mae.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


inputs = tf.keras.Input((6,), name="x")
h = tf.keras.layers.Dense(16, activation="relu", name="hidden")(inputs)
outputs = tf.keras.layers.Dense(1, name="out")(h)
model = TrackedModel(inputs, outputs, name="tracked")
model.compile(optimizer=tf.keras.optimizers.Adam(1e-2))
x = np.random.rand(128, 6).astype("float32")
y = (x.sum(axis=1, keepdims=True) + 0.1 * np.random.randn(128, 1)).astype("float32")
history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
print({k: round(v[-1], 4) for k, v in history.history.items()})
