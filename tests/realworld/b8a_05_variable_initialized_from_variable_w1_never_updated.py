"""TF1 graph code: `w1` is a variable, and the layer weight actually used is a *second*
variable created from it, `w = tf.Variable(w1 + w1)`. The user passes `var_list=[w1, w, b]`
to `AdamOptimizer.compute_gradients` and asks why `w1` is never updated. `w1 + w1` is
only the initial value of `w`: after initialization `w` is an independent variable, and
the logits `x @ w + b` do not read `w1` at all. Its gradient is None, `apply_gradients`
silently skips it, and `w1` stays at its initial value (the script prints True for
"unchanged"). Fix: use `w1` in the computation (`w = w1 + w1` as a tensor, not a new
`tf.Variable`), or drop `w1` if `w` is the real parameter.
---
source: https://github.com/tensorflow/tensorflow/issues/29437
framework: both
outcome: trains_silently
cause: unused_variable
static: false
line: 32
variables: [w1]
also: [disconnected, variable_assign]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
tf.set_random_seed(0)
np.random.seed(0)


def l():
    x_placeholder = tf.placeholder(shape=(5, 4), dtype=tf.float64)
    #x=tf.cast(x,tf.float32)
    w1 = tf.Variable(initial_value=tf.random_normal_initializer(dtype=tf.float64)((4, 2)))
    w = tf.Variable(w1 + w1)
    b = tf.Variable(initial_value=tf.random_normal_initializer(dtype=tf.float64)((2,)))
    logits = tf.matmul(x_placeholder, w) + b
    loss = tf.reduce_sum(logits)
    opt = tf.train.AdamOptimizer(0.02)
    g_v = opt.compute_gradients(loss, var_list=[w1, w, b])
    optim = opt.apply_gradients(g_v)

    return x_placeholder, optim, w1, w, b, g_v


x_feed = np.random.randn(5, 4)
opt = tf.train.AdamOptimizer(0.02)
x_placeholder, optim, w1, w, b, g_v = l()
print("gradient is None for:", [v.name for g, v in g_v if g is None])

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())

    print("initial values for variables w1 w b")
    wt1, wt2, wt3 = sess.run([w1, w, b], feed_dict={x_placeholder: x_feed})
    out = sess.run([optim], feed_dict={x_placeholder: x_feed})
    print("after optimizer run, variables w1 w b")
    wt4, wt5, wt6 = sess.run([w1, w, b], feed_dict={x_placeholder: x_feed})
    print("w1 unchanged:", np.all(wt1 == wt4))
    print("w changed:", not np.all(wt2 == wt5))
