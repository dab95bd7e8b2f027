"""A Keras 3 layer y = x * var whose weight is created with `add_variable(..., dtype=tf.int32)`
and whose op is wrapped in `@tf.custom_gradient`, hoping that a hand-written backward pass
would let the integer weight train. It does not: TensorFlow never records a gradient for
an integer variable (integer dtypes are not trainable dtypes), so the custom grad function
is not consulted for it, the tape returns None and model.fit fails with "No gradients
provided for any variable". Fix: keep the variable float32 (round it in the forward pass
with a straight-through estimator if integer values are needed).

---
source: https://github.com/tensorflow/tensorflow/issues/73631
framework: keras3
outcome: error
cause: integer_variable
line: [29, 30]
variables: [test_layer/variable]
also: [custom_gradient_none]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
import tensorflow as tf
import numpy as np
np.random.seed(0)
tf.random.set_seed(0)


class TestLayer(keras.layers.Layer):
    def build(self, input_shape):
        # dtype is the problem.
        self.var = self.add_variable(
            (1,), initializer="zeros", dtype=tf.int32)

    @tf.custom_gradient
    def op(input, var):
        def grad(upstream, variables=None):
            return tf.squeeze(upstream * tf.cast(var, tf.float32), axis=[1]), \
                tf.squeeze(upstream * tf.cast(input, tf.float32), axis=[1])

        return tf.cast(input, tf.float32) * tf.cast(var, tf.float32), grad

    def call(self, input):
        return TestLayer.op(input, self.var)


input_layer = keras.Input((1,), name="input_layer", dtype=tf.int32)
test_layer = TestLayer()

output = test_layer(input_layer)
model = keras.Model(inputs=[input_layer], outputs=[output], name="model")

model(tf.constant([[100]]))

values = np.array([[i] for i in range(32)])

model.compile(
    loss=[keras.losses.MeanSquaredError()],
    optimizer=keras.optimizers.RMSprop(),
    metrics=[keras.metrics.MeanSquaredError()],
)
history = model.fit(values, values, batch_size=8, epochs=1, verbose=0)
