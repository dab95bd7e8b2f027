"""Linear regression y = W * x + b where W and b are created from Python integers, so both are int32 variables; GradientDescentOptimizer.minimize finds no gradient for either and raises "No gradients provided for any variable".

---
source: https://github.com/tensorflow/tensorflow/issues/43845
framework: both
outcome: error
cause: integer_variable
line: [19, 20]
variables: [weight, bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

x_train = np.arange(10)
y_train = 3 * x_train + 2

W = tf.Variable(1, name="weight")
b = tf.Variable(0, name="bias")


def linear_model(x):
    return W * x + b


def loss():
    return tf.reduce_mean(tf.square(linear_model(x_train) - y_train))


optimizer = tf.compat.v1.train.GradientDescentOptimizer(learning_rate=0.01)
for step in range(3):
    optimizer.minimize(loss, var_list=[W, b])
    print("step", step, "W", W.numpy(), "b", b.numpy(), "loss", loss().numpy())
