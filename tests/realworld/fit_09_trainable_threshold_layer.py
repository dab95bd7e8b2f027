"""A custom ThresholdLayer with a single trainable weight (the threshold) turns predicted tag scores into
0/1 with tf.greater_equal + tf.where; it is the model's only trainable layer, so model.fit finds no
gradient for the threshold.

---
source: https://github.com/keras-team/keras/issues/6926
framework: both
outcome: error
cause: nondifferentiable_op
line: [38, 39]
variables: [threshold]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import initializers
from tensorflow.keras.layers import Input, Layer
from tensorflow.keras.models import Model

data = np.random.rand(64, 4).astype("float32")          # predicted tag scores from another model
target = (np.random.rand(64, 4) > 0.7).astype("float32")  # geological tags
input_shape = data.shape[1:]
input_layer = Input(shape=input_shape)


class ThresholdLayer(Layer):
    def __init__(self, **kwargs):
        super(ThresholdLayer, self).__init__(**kwargs)

    def build(self, input_shape):
        # Create a trainable weight variable for this layer.
        self.kernel = self.add_weight(name='threshold', shape=(1,), initializer=initializers.constant(0.2))
        super(ThresholdLayer, self).build(input_shape)  # Be sure to call this somewhere!

    def call(self, x):
        ge = tf.greater_equal(x, self.kernel)
        return tf.where(ge, x=tf.ones_like(x), y=tf.zeros_like(x))


output = ThresholdLayer()(input_layer)
model = Model(input_layer, output)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss='mean_squared_error')
model.fit(data, target, batch_size=16, epochs=1, verbose=0)
print("threshold:", model.layers[-1].get_weights())
