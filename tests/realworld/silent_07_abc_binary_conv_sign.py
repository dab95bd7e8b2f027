"""Accurate-Binary-Convolution (ABC-Net) layer: the full-precision filters are approximated by M binary bases built with tf.sign(W - mean + shift * std), scaled by learned alphas; tf.sign has a zero gradient, so the filters and the shift parameters never train and only the alphas and the dense head learn.

---
source: https://github.com/layog/Accurate-Binary-Convolution-Network/issues/6
framework: both
outcome: trains_silently
cause: nondifferentiable_op
line: 36
also: [zero_gradient]
variables: [abc_conv/filters, abc_conv/shift_parameters]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras


class ABCConv2D(keras.layers.Layer):
    def __init__(self, filters, kernel_size, num_binary_filters=3, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size, self.M = filters, kernel_size, num_binary_filters

    def build(self, input_shape):
        shape = (self.kernel_size, self.kernel_size, int(input_shape[-1]), self.filters)
        self.W = self.add_weight(name="filters", shape=shape, initializer="glorot_uniform")
        self.shift_parameters = self.add_weight(name="shift_parameters", shape=(self.M,),
                                                initializer=keras.initializers.Constant(np.linspace(-1, 1, self.M)))
        self.alphas = self.add_weight(name="alphas", shape=(self.M,), initializer="ones")

    def call(self, x):
        mean, var = tf.nn.moments(self.W, axes=[0, 1, 2, 3])
        stddev = tf.sqrt(var)
        out = 0.0
        for m in range(self.M):
            binarized_filters = tf.sign(self.W - mean + self.shift_parameters[m] * stddev, name="binarized_filters")
            out += self.alphas[m] * tf.nn.conv2d(x, binarized_filters, strides=1, padding="SAME")
        return out


model = keras.Sequential([
    keras.Input((12, 12, 1)),
    ABCConv2D(4, 3, name="abc_conv"),
    keras.layers.ReLU(),
    keras.layers.Flatten(),
    keras.layers.Dense(10, name="fc"),
])
model.compile(optimizer=keras.optimizers.Adam(1e-2),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x = np.random.rand(64, 12, 12, 1).astype("float32")
y = np.random.randint(0, 10, 64)
abc = model.layers[0]
before = {v.name: v.numpy().copy() for v in abc.weights}
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print({v.name: bool(np.abs(v.numpy() - before[v.name]).max() > 0) for v in abc.weights})
