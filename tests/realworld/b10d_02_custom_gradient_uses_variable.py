"""The user wraps a function in `@tf.custom_gradient`; inside, the forward pass
multiplies the input by a trainable `tf.Variable` named "outside" that lives
outside the function, and the backward function `grad(dy)` only returns the
gradient for the input `x`. When the tape differentiates through it, TensorFlow
sees that the forward pass read a variable and raises "TypeError: If using
@custom_gradient with a function that uses variables, then grad_fn must accept
a keyword argument 'variables'." (TF 2.21 wording: "@tf.custom_gradient grad_fn
must accept keyword argument 'variables', since function uses variables"). The user expected the variables to be found
and passed automatically. Per the tf.custom_gradient docs (and alextp's
answer in the related issue tensorflow#21756), a custom gradient that reads variables must declare `grad(dy, variables=None)`
and return `(grad_x, [grad for each variable])`; without it no gradient for
the variable is ever defined. Shrunk to a tiny regression loop that trains
`outside` together with a Keras Dense layer.
---
source: https://github.com/tensorflow/tensorflow/issues/31945
framework: both
outcome: error
cause: custom_gradient_none
line: [41, 42]
variables: [outside]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

outside = tf.Variable(2.0, name="outside")
dense = keras.layers.Dense(1, name="dense")
optimizer = keras.optimizers.SGD(0.01)

x_data = np.random.randn(32, 3).astype("float32")
y_data = np.random.randn(32, 1).astype("float32")


@tf.custom_gradient
def scaled_identity(x):
    y = x * outside

    def grad(dy):
        return dy * outside

    return y, grad


for step in range(3):
    with tf.GradientTape() as tape:
        h = scaled_identity(tf.convert_to_tensor(x_data))
        pred = dense(h)
        loss = tf.reduce_mean(tf.square(pred - y_data))
    train_vars = [outside] + dense.trainable_variables
    grads = tape.gradient(loss, train_vars)
    optimizer.apply_gradients(zip(grads, train_vars))
    print(step, float(loss), float(outside.numpy()))
