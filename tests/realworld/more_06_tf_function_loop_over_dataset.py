"""A product over the values of a tf.data.Dataset, computed by a Python for-loop over the
dataset: called eagerly the tape gives d(b)/d(a) = 6, but the tf.function version of the same
function returns None, because autograph turns the loop into a dataset reduction, and the
dataset op has no gradient.

---
source: https://github.com/tensorflow/tensorflow/issues/38453
framework: both
outcome: gradient_none
cause: nondifferentiable_op
line: [24, 29]
also: [disconnected]
static: false
variables: [a]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

dataset = tf.data.Dataset.from_tensor_slices([2., 3.])


def fun(x):
    for data in dataset:
        x = x * data
    return x


decorated_fun = tf.function(fun)

a = tf.constant(1.)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(a)
    b = fun(a)
    c = decorated_fun(a)
print(tape.gradient(b, a))  # prints 6. as expected
print(tape.gradient(c, a))  # prints None
assert tape.gradient(c, a) is None
