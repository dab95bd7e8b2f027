"""A user defined a smooth "transfer" nonlinearity piecewise with tf.where:
`1/(1-x)` for negative inputs and `log(x+1)` for the rest, so that neither
formula is ever evaluated where it blows up. The forward values are right
(log 2 for x=1, 0.5 for x=-1), but the derivative printed by the script is NaN
for x=1 and x=-1 (only x=0 happens to give 1). The cause, given
in the thread and in the tf.where docs note added afterwards (PR #38467): the
gradient of tf.where is computed for BOTH branches and the unselected one is
multiplied by 0. At x=1 the unused branch 1/(1-x) has an infinite derivative,
at x=-1 the unused log(x+1) has one, and 0 * inf = NaN. The fix is the "double
where": feed each branch an input that is safe, e.g.
`tf.where(x < 0, 1/(1 - tf.minimum(x, 0)), tf.math.log(tf.maximum(x, 0) + 1))`.
---
source: https://github.com/tensorflow/tensorflow/issues/20355
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 26
variables: [xt]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

transfer = lambda x: tf.where(x < 0, 1. / (1. - x), tf.math.log(x + 1))


def f(x):
    xt = tf.Variable([x], dtype=tf.float32, name="xt")
    with tf.GradientTape() as tape:
        yt = transfer(xt)
    dydx = tape.gradient(yt, xt)
    return [xt.numpy(), yt.numpy(), dydx.numpy()]


print(f(1.))   # [1, 0.693, nan]
print(f(-1.))  # [-1, 0.5, nan]
print(f(0.))   # [0, 0, 1] (no nan here, interestingly)
