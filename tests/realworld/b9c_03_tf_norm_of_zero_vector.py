"""A user computed the L2 norm of a tensor with `tf.norm` and asked for its
gradient while the tensor was all zeros (a 4x1 column). The value is 0 as
expected, but the gradient is NaN in every entry; a custom-gradient work-around
suggested in the thread still gave NaN. The cause, as the issue title says, is
that the gradient of `tf.norm` is x / ||x||, which is 0/0 = NaN at the zero
vector (and huge for tiny values): `tf.norm` is sqrt(sum(x**2)) and the
gradient of sqrt at 0 is infinite. Here the column is a trainable variable
started at zeros and the norm is minimised with SGD: the first gradient is
NaN, the variable turns into NaN and stays there, no error is raised. Fix:
use the squared norm (`tf.reduce_sum(tf.square(X))`) or add a small epsilon
inside the square root, e.g. `tf.sqrt(tf.reduce_sum(tf.square(X)) + 1e-12)`.
---
source: https://github.com/tensorflow/tensorflow/issues/12071
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 32
variables: [X]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

X_ = np.array([[0], [0], [0], [0]], dtype=np.float32)
X = tf.Variable(X_, name="X")
opt = tf.keras.optimizers.SGD(learning_rate=0.1)

for step in range(3):
    with tf.GradientTape() as tape:
        Z = tf.norm(X)
    Z_grad = tape.gradient(Z, [X])
    opt.apply_gradients(zip(Z_grad, [X]))
    print("Z_val = ", float(Z))
    print("Z_grad = ", Z_grad[0].numpy().ravel())
