"""A trainable scale `alpha` multiplies `tf.math.log(x)` only where `x >= 0`, selected with
`tf.where(x >= 0, alpha * tf.math.log(x), tf.zeros_like(x))`. The forward value is finite,
but tf.where evaluates both branches: for the negative entries `log(x)` is NaN, the gradient
of the unselected branch is multiplied by a zero mask, and 0 * NaN = NaN, so
d(sum s)/d(alpha) is NaN. The user noticed that protecting the input
(`safe_x = tf.where(x > 0, x, tf.ones_like(x))`, then `log(safe_x)`) fixes it. Here one SGD
step is added as in a training loop: the NaN gradient is applied without any error and
`alpha` becomes NaN.
---
source: https://github.com/tensorflow/tensorflow/issues/27684
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 30
variables: [asdf]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
import numpy as np

np.random.seed(0)
tf.random.set_seed(0)

x = tf.convert_to_tensor(np.random.randn(100).astype(np.float32))
alpha = tf.Variable(1, name='asdf', dtype=tf.float32, trainable=True)
optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)
with tf.GradientTape(persistent=True) as t:
    safe_x = tf.where(x > 0, x, tf.ones_like(x))
    # x = safe_x # this fixes it
    s = tf.where(x >= 0, alpha * tf.math.log(x), tf.zeros_like(x))
    loss = tf.reduce_sum(s)
gradients = t.gradient(loss, [alpha])
print("loss:", float(loss), "gradient:", gradients[0].numpy())
optimizer.apply_gradients(zip(gradients, [alpha]))
print("alpha after one step:", alpha.numpy())
