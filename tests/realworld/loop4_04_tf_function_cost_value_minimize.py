"""Linear regression W*x+b with the TF2 Keras optimizer. The user wrapped the cost in a
@tf.function `cost()` and then evaluated it once, `cost_value = cost()`, before calling
`tf.keras.optimizers.Adam().minimize(cost_value, var_list=[W, b])`. cost_value is an
eager tensor whose computation already happened with no tape recording, so minimize
refuses it: "`tape` is required when a `Tensor` loss is passed" (and passing a fresh
tape would only give None gradients). The module-level `hypothesis = W * x_train + b`
is likewise computed outside any tape. Fix: pass the callable itself, `minimize(cost,
var_list=[W, b])`, so the forward pass runs under minimize's own tape.
---
source: https://github.com/tensorflow/tensorflow/issues/51622
framework: keras2
outcome: error
cause: outside_tape
line: [42, 43]
variables: [weight, bias]
"""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(0)
x_train = [1, 2, 3]
y_train = [1, 2, 3]

W = tf.Variable(tf.random.normal([1]), name='weight')
b = tf.Variable(tf.random.normal([1]), name='bias')
hypothesis = W * x_train + b


@tf.function
def cost():
    y_model = W * x_train + b
    error = tf.reduce_mean(tf.square(y_train - y_model))
    return error


optimizer = tf.optimizers.SGD(learning_rate=0.01)

cost_value = cost()
train = tf.keras.optimizers.Adam().minimize(cost_value, var_list=[W, b])

tf.print(W)
tf.print(b)
