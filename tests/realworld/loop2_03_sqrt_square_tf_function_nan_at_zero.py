"""`fun` computes |v| as `tf.sqrt(tf.square(v))` inside a tf.function and a GradientTape
differentiates an l2 loss of its sum with respect to the variable `x = [[1.0, 0.0]]`. The user
first wrote the same three lines inline, reassigning `x` inside the tape, so `tape.gradient`
was taken with respect to the last intermediate tensor and printed a clean [[1 1]]; refactored
into a function, the gradient with respect to the real variable is [[1 nan]]: at v = 0 the
gradient of sqrt is inf and the chain rule multiplies it by d(v**2)/dv = 0, giving NaN (eager
or graph alike). One SGD step then writes NaN into `x` without any error. `tf.abs(v)` (or a
guarded sqrt) keeps the gradient finite.
---
source: https://github.com/tensorflow/tensorflow/issues/42602
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 24
variables: [x]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf


@tf.function  # Happens in both eager and graph
def fun(v):
    v = tf.square(v)
    v = tf.sqrt(v)
    return tf.reduce_sum(v, axis=-1)


x = tf.Variable([[1.0, 0.0]])
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)

for step in range(2):
    with tf.GradientTape() as tape:
        z = fun(x)
        loss = tf.nn.l2_loss(z)
    grads = tape.gradient(loss, x)
    tf.print("step", step, "z:", z, "loss:", loss, "grad:", grads)
    optimizer.apply_gradients([(grads, x)])
    tf.print("x after step", step, ":", x)
