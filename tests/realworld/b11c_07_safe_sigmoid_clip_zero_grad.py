"""The reporter first saw zero gradients after clipping inside a function,
then described the real-world pattern they cared about: a "safe" sigmoid
that clips the logits for numerical safety, `clipped = tf.clip_by_value(logits,
-10, 10); return sigmoid(clipped)`, used in a custom GradientTape loop
(`tape.watch(W)`, `logits_hat = Wx`, `p_hat = safe_sigmoid(logits_hat)`,
`loss = bce(Y, p_hat)`), asking whether gradients would be "silently zero and
halt all learning". The maintainer confirmed it is intended: the derivative of
`clip_by_value` is exactly 0 wherever the input lies outside [min, max], so
every example whose logit is clipped contributes no gradient. With unscaled
features the logits of all examples start beyond +-10, every gradient is
exactly 0 and W never moves, with no error. Fix: feed the raw logits to
`BinaryCrossentropy(from_logits=True)` (or use
`tfp.math.clip_by_value_preserve_gradient`).
---
source: https://github.com/tensorflow/tensorflow/issues/89110
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: 35
variables: [W, b]
also: [nondifferentiable_op]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

# unscaled features (e.g. raw sensor readings) and binary labels
x = (np.random.rand(64, 5) * 100.0 + 50.0).astype("float32")
Y = (x[:, :1] > x[:, 1:2]).astype("float32")


def safe_sigmoid(logits):
    clipped = tf.clip_by_value(logits, -10, 10)
    return tf.sigmoid(clipped)


W = tf.Variable(tf.random.uniform((5, 1)), name="W")
b = tf.Variable(tf.zeros((1,)), name="b")
bce = tf.keras.losses.BinaryCrossentropy()
optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)

for step in range(5):
    with tf.GradientTape() as tape:
        tape.watch(W)
        logits_hat = tf.matmul(x, W) + b
        p_hat = safe_sigmoid(logits_hat)  # gradients break here
        loss = bce(Y, p_hat)
    gradients = tape.gradient(loss, [W, b])
    optimizer.apply_gradients(zip(gradients, [W, b]))
    print("step", step, "loss", round(float(loss), 4),
          "max|grad|", [float(tf.reduce_max(tf.abs(g))) for g in gradients])
print("fraction of logits clipped:", float(tf.reduce_mean(tf.cast(tf.abs(logits_hat) > 10, tf.float32))))
