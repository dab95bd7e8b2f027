"""The user wraps an existing Keras layer in a custom Layer: `CustomLayer.call` builds a
fresh `Dense(self.units)` and applies it, `output = Dense(self.units)(inputs)`. The
Dense layer is never assigned to the custom layer, so it is not tracked: its kernel and
bias are not in `model.trainable_weights`, and every call makes a brand-new Dense with
new random weights. In the Keras 2.2 report the Dense "is not trained when wrapped inside
CustomLayer, but works as expected on its own"; in TF 2 `fit` traces the step and the
new variables created on a later trace make it fail ("tf.function only supports
singleton tf.Variables created on the first call"); Keras 3 first warns "The model
does not have any trainable weights" and then fails the same way. Fix: create the Dense once in
`__init__` (`self.dense = Dense(units)`) and call `self.dense(inputs)` in `call`.
---
source: https://github.com/keras-team/keras/issues/11736
framework: both
outcome: error
cause: untracked_variable
line: 35
variables: [custom_layer]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Layer, Dense, Input
from tensorflow.keras.models import Model

np.random.seed(0)
tf.random.set_seed(0)


class CustomLayer(Layer):
    def __init__(self, units, **kwargs):
        self.units = units
        super(CustomLayer, self).__init__(**kwargs)

    def call(self, inputs):
        output = Dense(self.units)(inputs)  # Weights are not updated
        return output

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)


x_in = Input(shape=(8,))
y_out = CustomLayer(1)(x_in)
model = Model(x_in, y_out)
print("trainable weights:", len(model.trainable_weights))

X = np.random.rand(64, 8).astype("float32")
Y = X @ np.random.rand(8, 1).astype("float32")
model.compile(optimizer="sgd", loss="mse")
model.fit(X, Y, epochs=2, batch_size=32, verbose=2)
