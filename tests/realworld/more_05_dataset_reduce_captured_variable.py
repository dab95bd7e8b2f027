"""Fitting a location parameter u to data held in a tf.data pipeline: the squared-error loss
is accumulated with Dataset.reduce, whose reduce function captures u; the dataset op has no
gradient, so tape.gradient(loss, u) is None, while the same sum built from a Python loop over
the dataset's values has a gradient.

---
source: https://github.com/tensorflow/tensorflow/issues/36306
framework: both
outcome: gradient_none
cause: nondifferentiable_op
line: 25
also: [disconnected, outside_tape]
static: false
variables: [u]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

data = tf.range(10, dtype=tf.float32)
ds = tf.data.Dataset.from_tensor_slices(data)
u = tf.Variable(1., dtype=tf.float32, name="u")

with tf.GradientTape(persistent=True) as g:
    loss1 = ds.reduce(tf.constant(0.), lambda x, y: x + (y - u) ** 2)
    loss2 = tf.reduce_sum([(y - u) ** 2 for y in ds.as_numpy_iterator()])
print(g.gradient(loss1, u))  # returns None
print(g.gradient(loss2, u))  # returns correct gradient
assert g.gradient(loss1, u) is None
