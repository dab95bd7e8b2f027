"""Rotation regression through an SVD: a small network predicts a 3x3 matrix, and a custom
layer projects it onto the rotations with the SVD (R = U V^T, the orthogonal Procrustes
projection). The output Dense is initialised so that the network starts at "no rotation" (zero
kernel, identity bias). The report notes that similar singular values are normal when estimating
rotations (all of them are 1) and that the SVD gradient then breaks. The backward pass of the
SVD divides by s_i^2 - s_j^2. TF 1.5 returned NaN there. Current TF replaces the division by a
safe reciprocal that gives exactly 0. So here the identity output, with three equal singular
values, passes back an all-zero gradient. Adam never moves any weight, and the loss stays at its
initial value with no error or NaN. Fix: do not start at (or pass through) a matrix with
repeated singular values (a random output initialisation, or a small random perturbation before
the SVD), or use an orthogonalisation whose gradient is well defined there (Gram-Schmidt on a 6-D
output).
---
source: https://github.com/tensorflow/tensorflow/issues/17476
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: [37, 52, 53, 55]
variables: [dense/kernel, dense/bias, rotation_params/kernel, rotation_params/bias]
also: [nonfinite_gradient]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)


class SVDOrthogonalize(layers.Layer):
    """Project a (batch, 9) prediction onto the closest rotation matrix."""

    def call(self, inputs):
        m = tf.reshape(inputs, (-1, 3, 3))
        s, u, v = tf.linalg.svd(m)
        det = tf.linalg.det(tf.matmul(u, v, adjoint_b=True))
        d = tf.stack([tf.ones_like(det), tf.ones_like(det), det], axis=-1)
        return tf.matmul(u * d[:, None, :], v, adjoint_b=True)


def random_rotations(n, rng):
    q, r = np.linalg.qr(rng.standard_normal((n, 3, 3)))
    q = q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]
    q[np.linalg.det(q) < 0, :, 0] *= -1
    return q.astype("float32")


features = keras.Input(shape=(12,))
h = layers.Dense(32, activation="relu")(features)
params = layers.Dense(9, kernel_initializer="zeros",
                      bias_initializer=keras.initializers.Constant(np.eye(3).ravel()),
                      name="rotation_params")(h)
rotation = SVDOrthogonalize(name="rotation")(params)
model = keras.Model(features, rotation)


def rotation_loss(R_true, R_pred):
    return tf.reduce_mean(tf.reduce_sum(tf.square(R_pred - R_true), axis=[1, 2]))


model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=rotation_loss)
print("trainable:", [getattr(v, "path", v.name) for v in model.trainable_variables])

rng = np.random.default_rng(0)
R = random_rotations(256, rng)
X = np.concatenate([R.reshape(-1, 9), rng.standard_normal((256, 3))], axis=1).astype("float32")

before = [w.copy() for w in model.get_weights()]
history = model.fit(X, R, epochs=5, batch_size=32, verbose=0)
print("loss per epoch:", [round(float(l), 4) for l in history.history["loss"]])
print("weights unchanged:", [bool(np.array_equal(a, b)) for a, b in zip(before, model.get_weights())])
print("singular values of the first prediction:",
      np.round(tf.linalg.svd(tf.reshape(model.layers[2](model.layers[1](X[:1])), (3, 3)),
                             compute_uv=False).numpy(), 4))
