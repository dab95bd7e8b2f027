"""Toy subclassed layer that keeps its weights as raw tf.Variables appended to a Python list in __init__ (layers in a list work, so the user expects variables in a list to work too); under Keras 3 the model trains with fit but those weights are never tracked and never change.

---
source: https://github.com/keras-team/keras/issues/16797
framework: keras3
outcome: trains_silently
cause: untracked_variable
line: 25
variables: [list_w]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras


class ListLayer(keras.layers.Layer):
    def __init__(self, n_weights=3, **kwargs):
        super().__init__(**kwargs)
        self.n_weights = n_weights
        self.dense = keras.layers.Dense(4, name="proj")
        self.scales = []
        for i in range(n_weights):
            self.scales.append(tf.Variable(tf.ones((4,)), trainable=True, name=f"list_w{i}"))

    def call(self, inputs):
        x = self.dense(inputs)
        for w in self.scales:
            x = x * w
        return x


class ToyModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.list_layer = ListLayer()
        self.out = keras.layers.Dense(1, name="out")

    def call(self, inputs):
        return self.out(self.list_layer(inputs))


model = ToyModel()
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
x = np.random.rand(64, 6).astype("float32")
y = np.random.rand(64, 1).astype("float32")
model(x[:1])
print("trainable weights:", [w.name for w in model.trainable_weights])
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print("list weights after fit:", [w.numpy().tolist() for w in model.list_layer.scales])
