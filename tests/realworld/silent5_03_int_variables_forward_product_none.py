"""Trying out GradientTape on the simplest function, f = a * b, with the parameters created as
`tf.Variable(1)` and `tf.Variable(2)`: Python ints, so both variables are int32. Gradients are
only defined for floating (and complex) dtypes; the tape does not record the integer
multiply, `tape.gradient(result, params)` returns [None, None], and a gradient-descent loop on
top of it has nothing to apply. The report asked for an error message; TensorFlow added
"The dtype of the source tensor must be floating (e.g. tf.float32) when calling
GradientTape.gradient, got tf.int32", but only as a verbose log (vlog level 1), so by default
nothing is printed and the None comes back silently. Fix: `tf.Variable(1.)`,
`tf.Variable(2.)` (or `dtype=tf.float32`).
---
source: https://github.com/tensorflow/tensorflow/issues/26143
framework: both
outcome: gradient_none
cause: integer_variable
line: 27
variables: [a, b]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf


def forward(a, b):
    """f = a * b"""
    return a * b


params = [tf.Variable(1, name="a"), tf.Variable(2, name="b")]

with tf.GradientTape() as tape:
    result = forward(*params)

grads = tape.gradient(result, params)
print("result:", int(result), "grads:", grads)
