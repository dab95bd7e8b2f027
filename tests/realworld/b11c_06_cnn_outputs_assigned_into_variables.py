"""The user connects a CNN to a custom layer whose inputs must be variables
(they wanted explicit gradients for a sparse linear solve): the CNN outputs
`Fx`, `Bx` are written into variables with `assign_op1 = tf.assign(F, Fx)`,
`assign_op2 = tf.assign(B, Bx)`, the custom layer consumes `F`, `B` and a
trainable `lambda_tf`, and gradients are taken w.r.t. all trainable variables
-- but "all the values are None for CNN". The linked answer (and the title's
request) confirm the cause: an assignment has no gradient, so nothing flows
from the variables back into the network that produced the assigned values.
Ported to TF2 with a GradientTape and a differentiable stand-in for the sparse
solver: `F`, `B` and `lambda_tf` get gradients, the CNN's are None, the
optimizer warns that gradients do not exist for the CNN variables, and the
CNN never trains. Fix: feed `Fx`
and `Bx` (tensors) straight into the custom layer, attaching a custom gradient
to the layer itself if needed.
---
source: https://github.com/tensorflow/tensorflow/issues/17735
framework: both
outcome: warning
cause: variable_assign
line: [49, 50]
variables: [cnn_conv, cnn_out]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

cnn = tf.keras.Sequential([
    tf.keras.Input((8, 8, 1)),
    tf.keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="cnn_conv"),
    tf.keras.layers.Conv2D(2, 1, name="cnn_out"),
])
F = tf.Variable(tf.zeros((4, 8, 8)), name="FXT")
B = tf.Variable(tf.zeros((4, 8, 8)), name="BXT")
lambda_tf = tf.Variable([100.0], name="lamda_tf")
opt = tf.keras.optimizers.Adam(1e-2)


def custom_layer(F, B, lam):
    # stand-in for the sparse linear solve: a smoothed foreground/background energy
    return tf.reduce_mean(tf.square(F - B)) + 1e-4 * lam[0] * tf.reduce_mean(tf.square(F + B - 1.0))


images = tf.random.uniform((4, 8, 8, 1))
for step in range(3):
    with tf.GradientTape() as tape:
        out = cnn(images, training=True)
        Fx, Bx = out[..., 0], out[..., 1]
        F.assign(Fx)
        B.assign(Bx)
        op = custom_layer(F, B, lambda_tf)
    train_vars = cnn.trainable_variables + [F, B, lambda_tf]  # "all trainable variables"
    grads = tape.gradient(op, train_vars)
    print("step", step, "loss", float(op), "grads None:", [g is None for g in grads])
    opt.apply_gradients(zip(grads, train_vars))
