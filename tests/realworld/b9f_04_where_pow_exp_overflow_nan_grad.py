"""In the thread "`nan` gradient when `tf.where` is used", a user (mkaze) shows
that guarding an overflowing expression with tf.where does not protect the
gradient: `tf.where(a < 15., a, tf.math.pow(10.0, tf.math.exp(a)))` with a=10
selects the plain `a`, so the value is 10 and the gradient should be 1, yet
tape.gradient returns NaN. With the condition reversed (the huge branch is the
selected one) the gradient is inf. The maintainers (mdanatg, alextp in PR
#38467) explain the cause: tf.where's gradient routes zeros to the branch that
was not taken, but that branch's own backward pass still runs, and
10**exp(10) overflows to inf, so 0 * inf = NaN reaches `a`. Any nan/inf in the
unselected branch leaks through. The fix is to make the dead branch safe
before the op, e.g. `tf.math.pow(10.0, tf.math.exp(tf.where(a < 15., 0., a)))`
inside the outer tf.where.
---
source: https://github.com/tensorflow/tensorflow/issues/38349
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 28
variables: [a]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

a = tf.Variable(10., name="a")
with tf.GradientTape() as tape:
  out = tf.where(a < 15., a, tf.math.pow(10.0, tf.math.exp(a)))
  grads = tape.gradient(out, a)

print(grads)
# tf.Tensor(nan, shape=(), dtype=float32)

with tf.GradientTape() as tape:
  out = tf.where(a > 15., a, tf.math.pow(10.0, tf.math.exp(a)))
  grads = tape.gradient(out, a)

print(grads)
# tf.Tensor(inf, shape=(), dtype=float32)
