"""A value that starts outside the clip range never moves: clip_by_value has zero gradient there.
The user asked why the gradient of tf.clip_by_value(x, -1, 1) is zero when x
is outside the range: with x = -2 the clipped output is the constant -1, so
d clip/dx = 0, and a GradientTape loop that pulls the clipped value towards a
target inside the range leaves x stuck at -2 forever (loss flat, no error).
The answer pointed to tfp.math.clip_by_value_preserve_gradient (straight-
through clip), or clipping after the value has been learned. Here x is the
only trainable variable and every one of its elements starts below -1.
---
source: https://github.com/tensorflow/tensorflow/issues/44333
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: 29
also: [nondifferentiable_op]
variables: [clipped_x]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

x = tf.Variable([-2.0, -3.0, -2.5], name="clipped_x")
target = tf.constant([0.5, 0.0, -0.5])
optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)

for step in range(5):
    with tf.GradientTape() as tape:
        y = tf.clip_by_value(x, -1.0, 1.0)
        loss = tf.reduce_sum(tf.square(y - target))
    grad = tape.gradient(loss, x)
    optimizer.apply_gradients([(grad, x)])
    print(f"step {step} loss {loss.numpy():.4f} grad {grad.numpy()} x {x.numpy()}")
