"""The user writes a custom Keras layer (a graph-convolution style layer) whose
call should compute only `AV = K.dot(A, Vin)` and `Vout = K.dot(AV, W)`, with
`A` of shape (n, n), `Vin` (?, n, c) and `W` (c, f), and trains it on MNIST-like
data (each image row treated as a node). Training reports that a variable of the
layer has None for its gradient (old Keras: "An operation has `None` for
gradient"; current Keras: "Gradients do not exist for variables ... when
minimizing the loss"). Per the answer (abaxi): the layer defines a weight that
is never used in `call` (here the bias `b` created in `build`), so its gradient
with respect to the loss cannot be computed. Fix: use the weight in `call` or do
not create it. (The question's full layer code is on Stack Overflow; the unused
weight here is reconstructed from that answer.)
---
source: https://github.com/keras-team/keras/issues/12521
framework: both
outcome: warning
cause: unused_variable
static: false
line: [40, 46]
variables: [graph_conv/b]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)


class GraphConv(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        n, c = int(input_shape[1]), int(input_shape[2])
        self.A = self.add_weight(name="A", shape=(n, n),
                                 initializer="glorot_uniform", trainable=True)
        self.W = self.add_weight(name="W", shape=(c, self.units),
                                 initializer="glorot_uniform", trainable=True)
        self.b = self.add_weight(name="b", shape=(self.units,),
                                 initializer="zeros", trainable=True)

    def call(self, Vin):
        AV = tf.einsum("ij,bjc->bic", self.A, Vin)    # K.dot(A, Vin)
        Vout = tf.einsum("bic,cf->bif", AV, self.W)   # K.dot(AV, W)
        return Vout


inp = keras.Input(shape=(28, 28))
h = GraphConv(16, name="graph_conv")(inp)
h = keras.layers.Flatten(name="flatten")(h)
out = keras.layers.Dense(10, activation="softmax", name="dense")(h)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

x = np.random.rand(64, 28, 28).astype("float32")
y = np.random.randint(0, 10, size=(64,))
model.fit(x, y, epochs=1, batch_size=32, verbose=0)
print("b after training:", model.get_layer("graph_conv").b.numpy()[:4])
