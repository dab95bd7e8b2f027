"""Scalar-valued toy model; to avoid recording the whole graph the user opens the tape with watch_accessed_variables=False and watches only the last layer's kernel, but under Keras 3 that kernel is a Keras Variable, which tape.watch rejects ("not tf.Tensor or tf.Variable"), so nothing can be watched and no gradient is obtained.

---
source: https://github.com/keras-team/keras/issues/19155
framework: keras3
outcome: error
cause: unwatched_tensor
line: [43, 45]
static: false
variables: [dense_3/kernel]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

os.environ["KERAS_BACKEND"] = "tensorflow"
import keras as keras

keras.utils.set_random_seed(1234)


class toy_model(keras.Model):
    def __init__(self, **kwargs):
        super(toy_model, self).__init__()
        self.layers_list = []
        self.layers_list.append(keras.layers.Dense(units=100, activation="tanh", use_bias=True))
        self.layers_list.append(keras.layers.Dense(units=1000, activation="tanh", use_bias=True))
        self.layers_list.append(keras.layers.Dense(units=10, activation="tanh", use_bias=True))
        self.layers_list.append(keras.layers.Dense(units=1, activation=None, use_bias=False))

    def call(self, inputs):
        x = inputs
        for layer in self.layers_list:
            x = layer(x)
        return x


model = toy_model()
x = np.expand_dims(np.linspace(0, 10, num=20), axis=1).astype(np.float32)
model(x)

with tf.GradientTape(watch_accessed_variables=False) as tape:
    last_layer_weights = model.layers_list[-1].weights[0]
    tape.watch(last_layer_weights)
    out = model(x)
dout = tape.gradient(out, last_layer_weights)
print("dout:", None if dout is None else dout.shape)
