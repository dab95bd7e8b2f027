"""Debugging a custom graph that contains a tf.unique op: the forward pass runs, but asking the
tape for the gradient of the unique values with respect to the input fails, because Unique has
no registered gradient ("gradient registry has no entry for: Unique").

---
source: https://github.com/tensorflow/tensorflow/issues/36810
framework: both
outcome: error
cause: nondifferentiable_op
line: 19
variables: [x]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

x = tf.Variable([1.0, 1.0, 2.0, 4.0, 4.0, 4.0, 7.0, 8.0, 8.0], name="x")
with tf.GradientTape() as g:
    y = tf.unique(x)
    s = tf.reduce_sum(y.y * y.y)
dy_dx = g.gradient(s, x)
print("dy_dx:", dy_dx)
