"""Learned DCT quantisation layer: call() runs a scipy DCT through tf.py_function, divides by a trainable step size w, floors with a straight-through trick and returns to the signal domain with a second tf.py_function (scipy IDCT); both helpers go through .numpy(), so no gradient can reach w through the second py_function and tape.gradient itself fails with an InvalidArgumentError from a reshape in the Mul gradient.

---
source: https://github.com/tensorflow/tensorflow/issues/40717
framework: both
outcome: error
cause: numpy_function
line: [66, 48]
also: [numpy_conversion]
variables: [my_dense_layer/w]
xfail: "the py_function's gradient fails inside tape.gradient with a reshape error; gradtrace does not explain that exception yet"
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf


def _dct_matrix(n):
    # orthonormal DCT-II matrix; stands in for scipy.fftpack.dct(..., norm='ortho')
    k = np.arange(n)[:, None]
    m = np.cos(np.pi * (2 * np.arange(n)[None, :] + 1) * k / (2 * n)) * np.sqrt(2.0 / n)
    m[0] /= np.sqrt(2.0)
    return m.astype(np.float32)


def dct(a, norm='ortho'):
    return _dct_matrix(a.shape[-1]) @ a


def idct(a, norm='ortho'):
    return _dct_matrix(a.shape[-1]).T @ a


def fdct(a):
    return dct(a.T, norm='ortho').T


def fdct_top(inp):
    return tf.convert_to_tensor(np.array([fdct(in_) for in_ in list(inp.numpy())]))


def fidct(a):
    return idct(a.T, norm='ortho').T


def fidct_top(inp):
    return tf.convert_to_tensor(np.array([fidct(in_) for in_ in list(inp.numpy())]))


class MyDenseLayer(tf.keras.layers.Layer):
    def __init__(self, y_mat, **kwargs):
        super(MyDenseLayer, self).__init__(**kwargs)
        self.w_mat = y_mat

    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=self.w_mat.shape,
                                 initializer=tf.keras.initializers.Constant(self.w_mat), trainable=True)

    def call(self, input):
        dct_i = tf.py_function(fdct_top, (input,), 'float32')
        dct_i.set_shape(tf.TensorShape((None, 10)))
        dcts_q = tf.multiply(dct_i, 1 / self.w)
        z_floored_NOT_differentiable = tf.floor(dcts_q)
        z_floored_differentiable = dcts_q - (tf.stop_gradient(dcts_q) - z_floored_NOT_differentiable)
        out = tf.py_function(fidct_top, (z_floored_differentiable * self.w,), 'float32')
        out.set_shape(tf.TensorShape((None, 10)))
        return out


layer = MyDenseLayer(np.full((10,), 0.5, dtype=np.float32))
optimizer = tf.keras.optimizers.Adam(0.01)
x = np.random.rand(16, 10).astype(np.float32)

for step in range(2):
    with tf.GradientTape() as tape:
        reconstruction = layer(x)
        loss = tf.reduce_mean(tf.square(reconstruction - x))
    grads = tape.gradient(loss, layer.trainable_variables)
    print("step", step, "loss", float(loss), "grads", grads)
    optimizer.apply_gradients(zip(grads, layer.trainable_variables))
