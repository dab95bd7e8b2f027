"""Classifier compiled with a custom loss that defines its own trainable tf.Variable (per-class penalty weights) inside the loss function, hoping Keras will learn it; the variable is created anew every time fit traces the loss, so TensorFlow stops with "tf.function only supports singleton tf.Variables created on the first call" (and even created once it would not be among the model's trainable weights).

---
source: https://github.com/keras-team/keras/issues/12503
framework: both
outcome: error
cause: untracked_variable
line: 20
variables: [penalty]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

created = []


def weighted_loss(y_true, y_pred):
    penalty = tf.Variable([1.0, 5.0, 5.0], trainable=True, name="penalty")
    created.append(penalty)
    return -tf.reduce_sum((y_true * penalty) * tf.math.log(y_pred + 1e-7)) - tf.reduce_sum(
        ((1 - y_true) * penalty) * tf.math.log(1 - y_pred + 1e-7))


model = tf.keras.Sequential([
    tf.keras.Input((8,)),
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(3, activation="sigmoid"),
])
model.compile(optimizer="adam", loss=weighted_loss)
x = np.random.rand(64, 8).astype("float32")
y = (np.random.rand(64, 3) > 0.5).astype("float32")
history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
print("loss:", history.history["loss"])
print("penalty variables created:", len(created), "values after fit:", [v.numpy().tolist() for v in created])
