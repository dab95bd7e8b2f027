"""Gradient of a Sequential classifier's softmax output w.r.t. the output of its first Dense layer, ported from K.gradients to tf.gradients inside a tf.function: the "first layer output" is obtained by calling model.layers[0] on the input a second time, a tensor the model's own forward pass never uses, so tf.gradients returns [None].

---
source: https://github.com/keras-team/keras/issues/13499
framework: both
outcome: gradient_none
cause: wrong_sources
line: [28, 29, 30]
also: [disconnected]
static: false
variables: [first_layer_output]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

model = Sequential()
model.add(Dense(units=64, activation="relu", input_dim=100))
model.add(Dense(units=10, activation="relu"))
model.add(Dense(units=10, activation="softmax"))


@tf.function
def output_wrt_first_layer(x):
    first_layer_output = model.layers[0](x)
    output = model(x)
    return tf.gradients(output, first_layer_output)


x = tf.constant(np.random.rand(8, 100).astype(np.float32))
gradient = output_wrt_first_layer(x)
print("gradient:", gradient)
