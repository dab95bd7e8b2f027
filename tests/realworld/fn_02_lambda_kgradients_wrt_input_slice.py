"""Derivative of a functional model's output with respect to one input coordinate, taken
inside the graph with a Lambda layer that calls `K.gradients(z[0], z[1])` (float64 backend,
y = x0**3 + x1**3). The user passes `input_x[:, 1]` as the source: slicing the input creates a
NEW tensor downstream of `input_x`, and `y` was computed from `input_x`, not from that slice,
so when predict traces the model K.gradients finds no path and returns [None], and predict
fails with "Can not convert a NoneType into a Tensor or Operation". The fix is to
differentiate with respect to `input_x` itself and slice the gradient afterwards (checked:
with `grad(y, input_x)` predict returns [[12., 27.]]). Keras 3 stops earlier: its Lambda
cannot infer an output shape for this call, so only Keras 2 is claimed.
---
source: https://github.com/tensorflow/tensorflow/issues/31891
framework: keras2
outcome: error
cause: disconnected
also: [wrong_sources]
line: 44
variables: [input_x]
xfail: {keras2: "K.gradients inside a Lambda of a functional model: the source is named by its placeholder (`Placeholder_1:0`), the finding sits in the Lambda, not at the line that passes the slice `input_x[:, 1]`, and it speaks of another forward pass"}
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
import tensorflow.keras.backend as K

tf.keras.backend.set_floatx('float64')


def test_tf(x):
    z = x[:, 0] ** 3 + x[:, 1] ** 3
    return z


def grad(y, x):
    z = layers.Lambda(lambda z: K.gradients(z[0], z[1]))([y, x])
    return z


input_x = keras.Input(shape=(2,))
y = test_tf(input_x)
print("y = ", y)

z0 = grad(y, input_x[:, 1])
print("z0 = ", z0)

model = keras.Model(inputs=[input_x], outputs=[z0])
print("gradient  = ", model.predict(tf.constant([[2.0, 3.0]], dtype=tf.float64), verbose=0))
