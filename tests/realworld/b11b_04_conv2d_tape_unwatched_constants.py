"""The user checks the gradients of a single 2-D convolution, tf.nn.conv2d, on
a small test matrix, against their own hand-written backward pass. The TF1
version (tf.gradients with eager execution disabled) gave the expected dL/dx
and dL/dw. In the TF2 port the input and the filter are NumPy arrays turned
into tf.constant tensors inside a GradientTape, and tape.gradient returned None
for both. A tape only tracks tf.Variables automatically; plain tensors have to
be registered with tape.watch (or made tf.Variables), which is the answer given
in the thread.
---
source: https://github.com/tensorflow/tensorflow/issues/50661
framework: both
outcome: gradient_none
cause: unwatched_tensor
line: [48, 49]
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

# sizes, fixed strides, in_channel, out_channel be 1 for now
x_size = 4
w_size = 3  # use an odd number here
x_shape = (1, x_size, x_size, 1)
w_shape = (w_size, w_size, 1, 1)
out_shape = (1, x_size - w_size + 1, x_size - w_size + 1, 1)
strides = (1, 1, 1, 1)

# numpy values
x_np = np.random.randint(10, size=x_shape).astype(np.float32)
w_np = np.random.randint(10, size=w_shape).astype(np.float32)
out_scale_np = np.random.randint(10, size=out_shape).astype(np.float32)


def manual_grads(x_np, w_np, g):
    """Reference backward pass of a VALID, stride-1 cross-correlation."""
    dx = np.zeros_like(x_np)
    dw = np.zeros_like(w_np)
    for i in range(g.shape[1]):
        for j in range(g.shape[2]):
            dx[0, i:i + w_size, j:j + w_size, 0] += g[0, i, j, 0] * w_np[:, :, 0, 0]
            dw[:, :, 0, 0] += g[0, i, j, 0] * x_np[0, i:i + w_size, j:j + w_size, 0]
    return dx, dw


with tf.GradientTape(persistent=True) as g:
    x = tf.constant(x_np, dtype=tf.float32)
    w = tf.constant(w_np, dtype=tf.float32)
    out_scale = tf.constant(out_scale_np, dtype=tf.float32)
    f = tf.nn.conv2d(x, w, strides=strides, padding="VALID")
    f_scaled = tf.reduce_sum(f * out_scale)

grad_x = g.gradient(f_scaled, x)
grad_w = g.gradient(f_scaled, w)
ref_dx, ref_dw = manual_grads(x_np, w_np, out_scale_np)
print("tape grad wrt x:", grad_x)
print("tape grad wrt w:", grad_w)
print("reference dL/dw:\n", ref_dw[:, :, 0, 0])
