"""A healthy, seeded training script that prints every loss bit for bit.

Usage: seeded_training.py eager|function|fit|fit_eagerly|custom_step
The last lines draw from the random streams after training, so that any random
number consumed behind the user's back would show.
"""
import sys

import numpy as np
import tensorflow as tf

mode = sys.argv[1]
tf.keras.utils.set_random_seed(7)


def make_model():
    return tf.keras.Sequential([
        tf.keras.Input((6,)),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.BatchNormalization(),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(1),
    ])


class CustomStep(tf.keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x, training=True) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


x = np.random.rand(64, 6).astype("float32")
y = np.random.rand(64, 1).astype("float32")
losses = []
if mode in ("eager", "function"):
    model = make_model()
    optimizer = tf.keras.optimizers.Adam(1e-2)

    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    if mode == "function":
        step = tf.function(step)
    for i in range(8):
        losses.append(float(step(x[i * 8:(i + 1) * 8], y[i * 8:(i + 1) * 8])))
else:
    if mode == "custom_step":
        inner = make_model()
        model = CustomStep(inner.inputs, inner.outputs)
    else:
        model = make_model()
    model.compile(optimizer="adam", loss="mse", run_eagerly=mode == "fit_eagerly")
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0)
    losses = history.history["loss"] + history.history.get("val_loss", [])
print("losses", [repr(v) for v in losses])
print("weights", repr(float(np.sum([np.sum(w) for w in model.get_weights()]))))
print("after", tf.random.normal((3,)).numpy().tolist(), np.random.rand(2).tolist())
