"""Asking for the gradient of a tf.gather_nd result with respect to its integer indices (the
positions standing in for the values): tf.gradients returns [None], because gather_nd has no
gradient for its indices, and fetching that None in the session fails.

---
source: https://github.com/tensorflow/tensorflow/issues/24216
framework: both
outcome: error
cause: nondifferentiable_op
line: [25, 27]
also: [integer_variable]
variables: [indices]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

graph = tf.Graph()
with graph.as_default():
    params = tf.constant(np.array([[1., 2.], [3., 4.]]), dtype=tf.float32)
    indices = tf.constant(np.array([[[0, 0], [0, 1]], [[1, 1], [0, 1]]]), name="indices")
    w = tf.constant(np.random.randn(4, 3), dtype=tf.float32)
    with tf.compat.v1.Session() as sess:
        out_1 = tf.gather_nd(params=params, indices=indices)
        print(sess.run(out_1))
        gradients = tf.gradients(ys=out_1, xs=indices)
        print(gradients)
        print(sess.run(gradients))
