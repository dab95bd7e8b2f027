"""Optimising a Hermitian generator h0 so that the unitary u = expm(i*H) minimises
Tr(u rho u^dagger M). The user built h0_T, ih, u = tf.linalg.expm(ih) and u_dagger at
module level, eagerly, and then wrote `cost = lambda: tf.math.real(tf.linalg.trace(...))`
over the precomputed u and u_dagger. `SGD.minimize(cost, var_list=[h0])` opens its own
GradientTape and calls the lambda inside it, but the lambda only multiplies constant
tensors: h0 is never read while the tape records, so minimize raises "No gradients
provided for any variable: ['Variable:0']". Fix: compute h0_T, ih, u and u_dagger inside
the callable.
---
source: https://github.com/tensorflow/tensorflow/issues/43036
framework: keras2
outcome: error
cause: outside_tape
line: [31, 32, 33, 34, 38]
variables: [h0]
"""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

np.random.seed(0)
tf.random.set_seed(0)
n = 8
M = np.array([[1, 0], [0, 0]])
M = np.kron(M, np.identity(n // 2))
M = tf.constant(M, dtype=tf.float32)
M = tf.complex(M, tf.zeros([n, n], tf.float32))
h0 = tf.Variable(tf.random.normal([n, n], 0, 1, tf.float32), dtype=tf.float32, shape=[n, n])
h0_T = tf.transpose(h0)
ih = tf.complex(h0 - h0_T, h0 + h0_T)
u = tf.linalg.expm(ih)
u_dagger = tf.linalg.expm(-ih)
a = np.random.rand(n, n).astype(np.float32)
ro = tf.constant((a @ a.T) / np.trace(a @ a.T), dtype=tf.float32)
ro = tf.complex(ro, tf.zeros([n, n], tf.float32))
cost = lambda: tf.math.real(tf.linalg.trace(u * ro * u_dagger * M))
opt = tf.keras.optimizers.SGD(learning_rate=0.001)
train = opt.minimize(cost, var_list=[h0]).numpy()
print(train)
