"""Hand-written gradient descent for a one-feature linear model, following the pattern in
"Debugging disconnected gradients in TensorFlow". The first epoch works, but the update is
written `w = w - learning_rate * dw`, which rebinds the Python name to a plain EagerTensor.
The tape only watches tf.Variables automatically, so from the second epoch on
tape.gradient(loss, [w, b]) returns None for w (the blog's "Replaced a variable with a
tensor"). Update in place with w.assign_sub(learning_rate * dw).
---
source: https://worldofsoftware.org/debugging-disconnected-gradients-in-tensorflow-step-by-step-hackernoon/?noamp=mobile
framework: both
outcome: gradient_none
cause: unwatched_tensor
line: 39
variables: [w]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
np.random.seed(0)

x_train = np.random.uniform(-1, 1, size=(32, 1)).astype("float32")
y_train = 3.0 * x_train + 0.5

w = tf.Variable(0.0, name="w")
b = tf.Variable(0.0, name="b")
learning_rate = 0.1

for epoch in range(3):
    with tf.GradientTape() as tape:
        y_pred = w * x_train + b
        loss = tf.reduce_mean(tf.square(y_train - y_pred))
    dw, db = tape.gradient(loss, [w, b])
    print(type(w).__name__, ":", "epoch", epoch, "dw =", dw, "db =", None if db is None else round(float(db), 4))
    if dw is None:
        print("gradient for w is None, stopping")
        break
    b.assign_sub(learning_rate * db)
    w = w - learning_rate * dw
