"""A user builds a physics-informed network of an electrical circuit. A custom
Keras layer (`PPINlayer`) first runs the neural network (`NNoutput = NN(input)`),
then needs a resistance that depends on the network's output through an implicit
equation. To use an existing solver (scipy's `fsolve`, GEKKO) they convert to
NumPy and call it through `tf.numpy_function`, and the rest of the circuit (the
current I = V / R) is computed from the solver's result. Training fails because
TensorFlow "can no longer find gradients" for the network: `tape.gradient`
returns None for every weight and `apply_gradients` raises "No gradients
provided". Root cause: `tf.numpy_function` has no gradient, so the only path
from the network's weights to the loss is cut at the solver call. Fix: write
the solve in TensorFlow ops (e.g. a fixed number of Newton steps) or give the
wrapped solve a `tf.custom_gradient` (implicit-function derivative). (Shrunk:
a NumPy Newton iteration stands in for scipy's fsolve, which is not installed;
the issue's code is a hypothetical sketch that the program completes; the
network is passed to the layer as a keyword, which Keras 3 requires.)
---
source: https://github.com/tensorflow/tensorflow/issues/53805
framework: both
outcome: error
cause: numpy_function
line: 51
variables: [nn_hidden/kernel, nn_hidden/bias, nn_out/kernel, nn_out/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


def fsolve_resistance(temperature):
    # solve r - 1 - 0.1 * temperature - 0.01 * r**3 = 0 for r (Newton's method)
    r = np.ones_like(temperature)
    for _ in range(20):
        f = r - 1.0 - 0.1 * temperature - 0.01 * r ** 3
        df = 1.0 - 0.03 * r ** 2
        r = r - f / df
    return r.astype(np.float32)


NN = tf.keras.Sequential([
    tf.keras.Input(shape=(2,)),
    tf.keras.layers.Dense(16, activation="tanh", name="nn_hidden"),
    tf.keras.layers.Dense(1, activation="softplus", name="nn_out"),
], name="NN")


class PPINlayer(tf.keras.layers.Layer):
    def call(self, inputs, NN, voltage):
        NNoutput = NN(inputs)  # temperature predicted by the network
        resistance = tf.numpy_function(fsolve_resistance, [NNoutput], tf.float32)
        resistance.set_shape(NNoutput.shape)
        return voltage / resistance


circuit = PPINlayer(name="ppin")
optimizer = tf.keras.optimizers.Adam(0.01)
x = tf.constant(np.random.rand(32, 2).astype("float32"))
voltage = tf.constant(np.random.rand(32, 1).astype("float32") + 1.0)
measured_current = tf.constant(np.random.rand(32, 1).astype("float32"))

with tf.GradientTape() as tape:
    current = circuit(x, NN=NN, voltage=voltage)
    loss = tf.reduce_mean(tf.square(current - measured_current))
grads = tape.gradient(loss, NN.trainable_variables)
print("loss:", float(loss), "grads:", grads)
optimizer.apply_gradients(zip(grads, NN.trainable_variables))
