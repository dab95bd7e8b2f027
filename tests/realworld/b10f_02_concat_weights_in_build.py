"""A user writes a custom Keras layer that needs several weight matrices
side by side (here three gate kernels, as in a GRU-style block). In `build`
each matrix is created with `self.add_weight(...)` into a list, and the list
is then concatenated with `tf.concat` into the single kernel the layer uses
in `call`, overwriting the attribute. Training with `model.fit` fails with
"ValueError: No gradients provided for any variable" (the report, TF 2.2 and
nightly; Stack Overflow question 62425584). The user notes that keeping the
list of weights in `build` and concatenating them in `call` works. Root
cause: `build` runs once, eagerly, before training; the concatenation is done
there, outside the GradientTape that `fit` opens for each step, so the
kernel seen by `call` is a constant tensor with no recorded link to the
three variables. Fix: store the variables in `build` and do `tf.concat` in
`call`.
---
source: https://github.com/tensorflow/tensorflow/issues/40632
framework: both
outcome: error
cause: outside_tape
line: 39
variables: [gated_dense/kernel_0, gated_dense/kernel_1, gated_dense/kernel_2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)


class GatedDense(layers.Layer):
    def __init__(self, units, n_gates=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.n_gates = n_gates

    def build(self, input_shape):
        self.kernel = [self.add_weight(name="kernel_%d" % i, shape=(input_shape[-1], self.units), initializer="glorot_uniform", trainable=True) for i in range(self.n_gates)]
        self.kernel = tf.concat(self.kernel, axis=-1)

    def call(self, inputs):
        z = tf.matmul(inputs, self.kernel)
        gates = tf.split(z, self.n_gates, axis=-1)
        return tf.sigmoid(gates[0]) * tf.tanh(gates[1]) + gates[2]


x_train = np.random.rand(64, 8).astype("float32")
y_train = np.random.rand(64, 4).astype("float32")

inp = keras.Input(shape=(8,))
out = GatedDense(4, name="gated_dense")(inp)
model = keras.Model(inp, out)
print("trainable:", [getattr(v, "path", v.name) for v in model.trainable_variables])
model.compile(optimizer="adam", loss="mse")
model.fit(x_train, y_train, epochs=2, batch_size=16, verbose=0)
