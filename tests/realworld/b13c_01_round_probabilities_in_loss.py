"""The user's network outputs a vector of probabilities (sigmoid), and the project
needs hard 0/1 decisions, so the probabilities are rounded with tf.round() and the
rounded values are compared with the labels in the loss. Training fails with
"No gradients provided for any variable": tf.round has no gradient (TensorFlow
registers None for Round), so nothing connects the loss to the Dense weights. The
answers in the thread: rounding is not differentiable; train on the probabilities
(or use a straight-through trick x - tf.stop_gradient(x - tf.round(x))) and round
only after training.
---
source: https://exchangetuts.com/differentiable-round-function-in-tensorflow-1640817424721451
framework: both
outcome: error
cause: nondifferentiable_op
line: 24
variables: [hidden/kernel, hidden/bias, probs/kernel, probs/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)


def rounded_loss(y_true, y_pred):
    decisions = tf.round(y_pred)          # probabilities -> hard 0/1, "crucial for this project"
    return tf.reduce_mean(tf.square(y_true - decisions))


inputs = tf.keras.Input(shape=(16,))
h = tf.keras.layers.Dense(32, activation="relu", name="hidden")(inputs)
probs = tf.keras.layers.Dense(8, activation="sigmoid", name="probs")(h)
model = tf.keras.Model(inputs, probs)
model.compile(optimizer="adam", loss=rounded_loss)

x = np.random.rand(64, 16).astype("float32")
y = (np.random.rand(64, 8) > 0.5).astype("float32")
model.fit(x, y, epochs=2, batch_size=16, verbose=2)
