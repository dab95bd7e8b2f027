"""The user tries the `log1pexp` example from the `tf.custom_gradient` docs in
eager mode: the custom backward `grad(dy) = dy * (1 - 1 / (1 + e))` is meant to
give a finite gradient at x = 100 where the default derivative would be NaN.
They create `x = tf.constant(100.)` inside a `tf.GradientTape` block, call
`y = log1pexp(x)` and ask for `tape.gradient(y, [x])`; it prints `[None]` and
they conclude "@tf.custom_gradient fails in eager execution mode". The custom
gradient is fine: `x` is a constant tensor, not a variable, and the tape only
records operations on watched sources, so nothing was recorded. As the later
fix to the docs example (tensorflow PR #58486) shows, `tape.watch(x)` is needed before
calling the function; then the custom gradient (1.0) is returned.
---
source: https://github.com/tensorflow/tensorflow/issues/21364
framework: both
outcome: gradient_none
cause: unwatched_tensor
line: [34, 35]
variables: [x]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(dy):
        return dy * (1 - 1 / (1 + e))
    return tf.math.log(1 + e), grad


with tf.GradientTape() as tape:
    x = tf.constant(100.)
    y = log1pexp(x)

dy_dx = tape.gradient(y, [x])
print(dy_dx)
# prints [None]: "not working properly - it did not use the custom gradient"
