"""A helper computes the derivative of f(x) = x**2 at a tensor `x`: it opens a tape, watches
`x`, and then, with the line `out = f(x)` commented out, leaves the `with` block empty and
writes `t.gradient(f(x), x)`. Asking for the gradient after the block is the usual, correct
place; the mistake is that the forward pass f(x) is now evaluated as an argument of that call,
after the tape stopped recording, so the tape never saw `x ** 2` and the gradient is None;
`.numpy()` on it raises AttributeError. The user's own fix (thread): compute `out = f(x)`
inside the `with` block.
---
source: https://github.com/tensorflow/tensorflow/issues/27660
framework: both
outcome: error
cause: outside_tape
line: 28
variables: [x]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf


def f(x):
    return x ** 2


def grad(x):
    with tf.GradientTape() as t:
        t.watch(x)
        # out = f(x)
    return t.gradient(f(x), x)


x = tf.convert_to_tensor(9.0)

print("gradient:", grad(x))
print("d/dx x**2 at 9:", grad(x).numpy())
