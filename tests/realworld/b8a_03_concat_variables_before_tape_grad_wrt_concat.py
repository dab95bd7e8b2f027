"""Two trainable weight blocks `w1`, `w2` are concatenated into one matrix `w` with
`tf.concat`, and the gradient of the MSE loss is asked with respect to `w`. The concat
runs *before* the `tf.GradientTape` opens, so `w` is a plain tensor computed outside the
tape: the tape never watches it (tensors, unlike variables, are not watched
automatically) and `tape.gradient(loss, w)` is None. The issue was reported as
"Gradients do not exist for variables after tf.concat()" and still reproduced on
TF 2.3 (this comment's example) and in 2024. Fix: ask for the gradient w.r.t. the
variables `[w1, w2]` and do the `tf.concat` inside the tape (or `tape.watch(w)`).
---
source: https://github.com/tensorflow/tensorflow/issues/37726
framework: both
outcome: gradient_none
cause: unwatched_tensor
line: [25, 28, 31]
variables: [w]
also: [outside_tape]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
w1 = tf.Variable([[1.0]], name="w1")
w2 = tf.Variable([[3.0]], name="w2")
w = tf.concat([w1, w2], 0)
x = tf.random.normal((1, 2))
y = tf.reduce_sum(x, 1)
with tf.GradientTape() as tape:
    r = tf.matmul(w, x)
    loss = tf.keras.losses.MeanSquaredError()(y, r)
print(tape.gradient(loss, w))
