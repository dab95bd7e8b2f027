"""Subclassed model `ModelTest` holding an MLP generator (Dense/BatchNorm/ReLU built by
`_create_mlp`) with a custom `train_step` for `fit()`: the objective is to be maximised,
so the user negates it in the gradient call, `tape.gradient(-loss, ...)`. That negation
runs after the `with tf.GradientTape()` block has closed, so the tape never recorded the
Neg op: the tensor being differentiated is not connected to anything the tape saw, every
gradient is None, and apply_gradients raises "No gradients provided for any variable".
Writing `loss = -objective` inside the tape (or minimising the negated value there)
fixes it.
---
source: https://github.com/tensorflow/tensorflow/issues/45604
framework: both
outcome: error
cause: outside_tape
line: 53
variables: [dense/kernel, dense/bias, batch_normalization/gamma, batch_normalization/beta, dense_1/kernel, dense_1/bias, batch_normalization_1/gamma, batch_normalization_1/beta, dense_2/kernel, dense_2/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

layers = tf.keras.layers


def _create_mlp(
        hidden_size: int = 1024, output_size: int = 256
):
    return tf.keras.Sequential(
        [
            layers.Dense(hidden_size, activation=None, use_bias=True),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.Dense(hidden_size, activation=None, use_bias=True),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.Dense(output_size, activation=None, use_bias=True)
        ], name="generator"
    )


class ModelTest(tf.keras.Model):
    def __init__(self):
        super(ModelTest, self).__init__()

        self.generator = _create_mlp(hidden_size=64, output_size=128)

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z = self(data, training=True)
            loss = tf.reduce_mean(tf.math.reduce_std(z, axis=0))  # spread, to maximise
        grads = tape.gradient(-loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


model = ModelTest()
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3))
x = np.random.randn(64, 32).astype("float32")
model.fit(x, epochs=1, batch_size=32, verbose=2)
