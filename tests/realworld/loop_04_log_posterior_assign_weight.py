"""A Keras model is used as an HMC log-posterior: its call() copies the proposed state x into the model's weight w with assign() and evaluates the log density from w, so tape.gradient of the log posterior with respect to x is None and HMC has no gradient to move on.

---
source: https://github.com/tensorflow/tensorflow/issues/54532
framework: both
outcome: gradient_none
cause: variable_assign
line: 27
variables: [x]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf


class DummyModel(tf.keras.Model):
    def __init__(self):
        super().__init__()

    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(), dtype=tf.float64,
                                 initializer="zeros", trainable=True)

    def call(self, x):
        # replicate a log_posterior: put the sampler's state into the parameter,
        # then evaluate the (Gaussian) log density of the parameter
        self.w.assign(x)
        return -0.5 * self.w ** 2


model = DummyModel()
model.build(())


def log_posterior(x):
    return model(x)


x = tf.Variable(tf.constant(3.0, dtype=tf.float64), name="x")
with tf.GradientTape() as tape:
    lp = log_posterior(x)
grad = tape.gradient(lp, x)
print("log posterior:", float(lp), "gradient w.r.t. x:", grad)
