"""Custom `GatherLayer` whose output mixes the two inputs with the same two weights in
swapped order ([i1*w1 + i2*w2, i1*w2 + i2*w1]). The layer builds the mixing matrix
`self.m` from `self.w` with tf.gather/tf.concat inside `build()`, i.e. once, eagerly,
when the layer is built, and `call()` only uses the stored tensor `self.m`. During fit()
the matrix is a constant snapshot: the weights are never read inside the training step,
so Keras warns "Gradients do not exist for variables [...weights]" while the offset `b`
still trains. Computing the matrix from `self.w` inside `call()` fixes it.
---
source: http://quabr.com/59726491/cannot-fit-keras-model-which-uses-tf-gather-gradients-do-not-exist
framework: both
outcome: warning
cause: outside_tape
line: [31, 32]
variables: [gather_layer/weights]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf


class GatherLayer(tf.keras.layers.Layer):
    def __init__(self, activation='linear', **kwargs):
        super(GatherLayer, self).__init__(**kwargs)
        self.activation = tf.keras.activations.get(activation)

    def build(self, _):
        self.w = self.add_weight(
                shape=(2,), name='weights', initializer='random_normal', trainable=True)
        self.b = self.add_weight(
                shape=(1,), name='offset', initializer='random_normal', trainable=True)
        self.m = tf.concat(
                [tf.reshape(tf.gather(self.w, ix), (-1, 1)) for ix in [[0, 1], [1, 0]]], axis=-1)

    def call(self, inputs):
        lin = tf.matmul(inputs, self.m) + self.b
        return self.activation(lin)

    def get_config(self):
        config = super(GatherLayer, self).get_config()
        return config


def gen_data():
    x = np.random.randn(64, 2).astype("float32")
    w = np.array([0.5, -1.5], dtype="float32")
    y = np.stack([x @ w, x @ w[::-1]], axis=-1) + 0.3
    return x, y.astype("float32")


tf.keras.utils.set_random_seed(0)
x, y = gen_data()
model = tf.keras.Sequential([tf.keras.Input(shape=(2,)), GatherLayer()])
model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss='mse')
model.fit(x, y, epochs=2, batch_size=32, verbose=2)
