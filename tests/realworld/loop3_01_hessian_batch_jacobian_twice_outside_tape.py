"""The user wants the Hessian of an embedding network with respect to its input in eager mode
(tf.hessians is graph-only). They open a persistent tape, `tape.watch(x)`, run the model, and
after the `with` block call `tape.batch_jacobian(y, x)` for the Jacobian and then
`tape.batch_jacobian(grads, x)` for the Hessian. The first Jacobian is computed after the tape
stopped recording, so `grads` has no recorded history on the tape: the second batch_jacobian
finds `grads` unconnected to `x` and silently returns a tensor of zeros ("results in a tensor
filled with 0s", `hessian.numpy().any()` is False) instead of an error or None. Fix: nest two
tapes and take the inner batch_jacobian inside the outer tape's context.
---
source: https://github.com/tensorflow/tensorflow/issues/45234
framework: both
outcome: gradient_none
cause: outside_tape
line: 34
variables: [x]
xfail: "batch_jacobian calls tape.gradient inside a pfor trace and turns None into zeros: that inner call is not diagnosed, and the zeros are not checked"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
np.random.seed(0)

model = tf.keras.Sequential([
    tf.keras.layers.Dense(16, activation="tanh"),
    tf.keras.layers.Dense(4, activation="tanh"),
])
x = tf.constant(np.random.randn(8, 3).astype("float32"))

with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    y = model(x)
grads = tape.batch_jacobian(y, x)
hessian = tape.batch_jacobian(grads, x)
print("jacobian shape:", grads.shape, "nonzero:", bool(grads.numpy().any()))
print("hessian shape:", hessian.shape, "nonzero:", bool(hessian.numpy().any()))
