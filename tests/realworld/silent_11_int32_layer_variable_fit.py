"""Keras layer y = var * x whose weight is created with add_variable(dtype=int32) so the model can work on integer inputs; model.fit fails with the vague "No gradients provided for any variable" because an integer variable can never receive a gradient.

---
source: https://github.com/keras-team/keras/issues/20058
framework: keras3
outcome: error
cause: integer_variable
line: [17, 24]
variables: [bug_test_layer/variable]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras

variable_dtype = tf.int32
# variable_dtype = tf.float32   # Uncommenting this fixes the issue


class BugTestLayer(keras.layers.Layer):
    # Layer is just y = self.var * x
    def build(self, input_shape):
        self.var = self.add_variable((1,), initializer="zeros", dtype=variable_dtype)

    def call(self, input):
        return input * self.var


input_layer = keras.Input((1,), dtype=tf.int32)
test_layer = BugTestLayer()
output = test_layer(input_layer)
model = keras.Model(inputs=[input_layer], outputs=[output])

values = np.array([[i] for i in range(64)])
model.compile(
    loss=[keras.losses.MeanSquaredError()],
    optimizer=keras.optimizers.RMSprop(),
    metrics=[keras.metrics.MeanSquaredError()],
)
history = model.fit(values, values, batch_size=8, epochs=2, verbose=0)
