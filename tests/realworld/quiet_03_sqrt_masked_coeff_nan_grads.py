"""Least-squares fit of a model that contains `tf.sqrt(c * x)` terms, where `x` is the trainable
tf.Variable and `c` a tf.constant of coefficients of which some are exactly zero (terms switched
off). The forward value of those terms is a harmless 0, but the gradient of sqrt at 0 is inf and
the chain rule multiplies it by c = 0, giving 0 * inf = NaN. So the very first gradient of `x`
is NaN in every component (each x_j has a switched-off term), Adam writes NaN into `x`,
and the loss is `nan` from the second step on, without any exception. Rewriting the term as
`tf.sqrt(c) * tf.sqrt(x)` (or guarding it) keeps the gradient finite.
---
source: https://github.com/tensorflow/tensorflow/issues/4914
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 30
variables: [x]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

# coefficients of the sqrt terms; some terms are switched off with c = 0
c = tf.constant([[1.0, 0.0, 2.0], [0.0, 3.0, 1.0], [2.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
target = tf.constant([3.0, 2.5, 2.0, 3.2])
x = tf.Variable([0.5, 0.8, 1.2], name='x')


def model(x):
    terms = tf.sqrt(c * x)            # (4, 3)
    return tf.reduce_sum(terms, axis=1)


def loss_fn():
    return tf.reduce_sum(tf.square(model(x) - target))


optimizer = tf.keras.optimizers.Adam(learning_rate=0.05)
for step in range(3):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    grad = tape.gradient(loss, [x])[0]
    print('step', step, 'loss', float(loss), 'grad', grad.numpy())
    optimizer.apply_gradients([(grad, x)])
print('x after training:', x.numpy())
