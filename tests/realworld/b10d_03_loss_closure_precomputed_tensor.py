"""The user (eager TF, early "tfe" API) manages a raw trainable variable `v` by
hand and builds the loss as a Python closure for
`tfe.implicit_value_and_gradients(loss)`. They compute the intermediate
`v_add_1 = v + 1.` once, at module level, and the closure only returns
`2. * v_add_1`. Calling the value-and-gradients function fails with
"ValueError: No trainable variables were accessed while the function was being
computed." (gradient None). As the reporter concludes (not a bug), in eager mode the gradient
machinery only records what happens while the loss function runs; `v + 1.` was
evaluated before recording started, so the loss is a constant with respect to
`v`. The fix is to move `v + 1.` inside `loss()`. Ported to TF 2: the
`implicit_value_and_gradients` helper is written out as a GradientTape around
the closure call, exactly how the TF 2 equivalent works.
---
source: https://github.com/tensorflow/tensorflow/issues/15682
framework: both
outcome: gradient_none
cause: outside_tape
line: [27, 31]
variables: [v]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

v = tf.Variable(1.0, name="v", trainable=True)
v_add_1 = v + 1.  # this causes the problem


def loss():
    return 2. * v_add_1


def implicit_value_and_gradients(f):
    def grad_fn():
        with tf.GradientTape() as tape:
            value = f()
        variables = [v]
        return value, list(zip(tape.gradient(value, variables), variables))
    return grad_fn


value_and_gradients_fn = implicit_value_and_gradients(loss)
value, grads_and_vars = value_and_gradients_fn()
print(value, grads_and_vars)
opt = tf.keras.optimizers.SGD(0.1)
for _ in range(3):
    value, grads_and_vars = value_and_gradients_fn()
    print("loss", float(value), "grad", grads_and_vars[0][0])
    if grads_and_vars[0][0] is not None:
        opt.apply_gradients(grads_and_vars)
