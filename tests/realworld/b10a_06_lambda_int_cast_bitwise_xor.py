"""The user appends a self-defined Keras layer (a Lambda) to the end of their
network: it converts the float output of the previous layer to int32, applies
`tf.bitwise.bitwise_xor` with a key (an encryption-like step), and converts the
result back to float32 (`y = Lambda(f)(y1)  # y1 is the output of last layer`).
Compiling and fitting fails; in 2017 Keras the symptom was
"ValueError: None values not supported." raised while building the optimizer
updates, today it is "ValueError: No gradients provided for any variable".
Root cause (stated by a maintainer in the user's companion thread
keras-team/keras#7090: "There is no gradient defined for these ops so they
cannot be used for learning"): the cast to int32 cuts every path from the
weights to the loss; the bitwise op and the cast back to float cannot restore
it. Fix: keep the integer/bitwise step out of the trained graph (apply it after
training, or in a metric), or train on the float output.
---
source: https://github.com/keras-team/keras/issues/7246
framework: both
outcome: error
cause: integer_cast
line: 35
also: [nondifferentiable_op]
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense, Lambda

tf.keras.utils.set_random_seed(0)

kkk = tf.constant(0b1010, dtype=tf.int32)   # xor key


def f(x):
    y = tf.cast(x, tf.int32)                 # tf.to_int32(x) in TF 1.x
    bitwiseXor = tf.bitwise.bitwise_xor(y, kkk)
    z = tf.cast(bitwiseXor, tf.float32)      # tf.to_float(...)
    return z


inp = Input(shape=(16,))
h = Dense(32, activation="relu", name="dense")(inp)
y1 = Dense(8, name="dense_1")(h)
# add my self-defined layer
y = Lambda(f, name="xor_layer")(y1)  # y1 is the output of last layer
model = keras.Model(inp, y)
model.compile(optimizer="adam", loss="mse")

x_train = (np.random.rand(64, 16) * 10).astype("float32")
y_train = np.random.randint(0, 16, size=(64, 8)).astype("float32")
model.fit(x_train, y_train, epochs=1, batch_size=16, verbose=0)
