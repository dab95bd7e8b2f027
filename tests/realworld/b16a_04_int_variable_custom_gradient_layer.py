"""A Keras 3 user needed a layer parameter that can only take whole-number values,
so they created it with `self.add_variable(..., dtype=tf.int32)`. Since integer
variables cannot be differentiated, they wrapped the layer's operation in a
`@tf.custom_gradient` whose backward function returns a float gradient for both the
input and the variable, and trained the functional model with `model.fit`. Training
still fails with "No gradients provided for any variable". The hand-written
gradient does not help: TensorFlow's tape never records a gradient for a tensor of
integer dtype, so the integer variable is not a trainable source at all and the
custom backward value for it is dropped. The fix is to keep a float variable
(rounding it in the forward pass with a straight-through estimator if discrete
values are needed).
---
source: https://github.com/tensorflow/tensorflow/issues/73631
framework: keras3
outcome: error
cause: integer_variable
line: [30]
variables: [test_layer/variable]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras

tf.keras.utils.set_random_seed(0)


class TestLayer(keras.layers.Layer):
    def build(self, input_shape):
        self.var = self.add_variable((1,), initializer="zeros", dtype=tf.int32)

    @tf.custom_gradient
    def op(input, var):
        def grad(upstream, variables=None):
            return (tf.squeeze(upstream * tf.cast(var, tf.float32), axis=[1]),
                    tf.squeeze(upstream * tf.cast(input, tf.float32), axis=[1]))

        return tf.cast(input, tf.float32) * tf.cast(var, tf.float32), grad

    def call(self, input):
        return TestLayer.op(input, self.var)


input_layer = keras.Input((1,), name="input_layer", dtype=tf.int32)
test_layer = TestLayer(name="test_layer")
output = test_layer(input_layer)
model = keras.Model(inputs=[input_layer], outputs=[output], name="model")
print(model(tf.constant([[100]])))
print("trainable:", [(v.path, v.dtype) for v in model.trainable_variables])

values = np.array([[i] for i in range(64)])
model.compile(
    loss=[keras.losses.MeanSquaredError()],
    optimizer=keras.optimizers.RMSprop(),
    metrics=[keras.metrics.MeanSquaredError()],
)
model.fit(values, values, batch_size=8, epochs=1, verbose=0)
