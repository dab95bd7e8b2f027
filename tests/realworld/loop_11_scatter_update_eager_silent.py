"""Eager GradientTape around tf.compat.v1.scatter_update: one entry of the variable alpha is overwritten with the variable v, the loss is computed from alpha, and the gradient for v comes back None without any error (alpha's own gradient is fine).

---
source: https://github.com/tensorflow/tensorflow/issues/21925
framework: both
outcome: gradient_none
cause: variable_assign
line: 19
variables: [v]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

v = tf.Variable(13.0, name="v")
alpha = tf.Variable([1, 2, 3], dtype=tf.float32, name="alpha")
idx = 1
with tf.GradientTape() as tape:
    updated = tf.compat.v1.scatter_update(alpha, [idx], [v])
    loss = tf.reduce_sum(updated * updated)
grad_v, grad_alpha = tape.gradient(loss, [v, alpha])
print("grad v:", grad_v)
print("grad alpha:", grad_alpha)
