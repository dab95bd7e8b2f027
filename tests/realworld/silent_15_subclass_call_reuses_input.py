"""Subclassed four-layer MLP whose call applies every Dense layer to the raw input x instead of to the previous layer's output, so only the last layer reaches the prediction; the custom training loop asks for all trainable variables and the first three layers get no gradient.

---
source: https://github.com/tensorflow/tensorflow/issues/36880
framework: both
outcome: warning
cause: unused_variable
static: false
line: [28, 29, 30, 31]
variables: [linear1/kernel, linear1/bias, linear2/kernel, linear2/bias, linear3/kernel, linear3/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras


class MLP(keras.Model):
    def __init__(self):
        super(MLP, self).__init__()
        self.linear1 = keras.layers.Dense(32, activation="relu", name="linear1")
        self.linear2 = keras.layers.Dense(32, activation="relu", name="linear2")
        self.linear3 = keras.layers.Dense(32, activation="relu", name="linear3")
        self.linear4 = keras.layers.Dense(1, name="linear4")

    def call(self, x):
        output = self.linear1(x)
        output = self.linear2(x)
        output = self.linear3(x)
        output = self.linear4(x)
        return output


model = MLP()
optimizer = keras.optimizers.Adam(1e-3)
loss_fn = keras.losses.MeanSquaredError()
x_train = np.random.rand(64, 32).astype("float32")
y_train = np.random.rand(64, 1).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(16)

for epoch in range(2):
    for x, y in dataset:
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print("epoch", epoch, "loss", float(loss), "None grads:", sum(g is None for g in grads))
