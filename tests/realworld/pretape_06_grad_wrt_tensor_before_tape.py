"""Porting a tf.gradients computation to GradientTape: the intermediate x = x0 + x1 is computed before the tape opens and is never watched, so tape.gradient(z, x) returns None, while the graph-mode tf.gradients(z, x) in a tf.function gives 1.

---
source: https://github.com/tensorflow/tensorflow/issues/29942
framework: both
outcome: gradient_none
cause: unwatched_tensor
line: [20, 21]
static: false
variables: [x]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

x0 = tf.Variable(0.5, name="x0")
x1 = tf.constant(3.)
x = x0 + x1
y = tf.constant(4.0)
with tf.GradientTape() as tape:
    z = x + y
    tape_grad = tape.gradient(z, x)
    print("tape_grad:", tape_grad)  # None


@tf.function
def graph_grad(x0):
    x = x0 + x1
    z = x + y
    return tf.gradients(z, x)[0]


print("tf_grad:", graph_grad(x0))  # 1.0
