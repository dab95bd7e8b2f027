"""A user writing a custom Keras loss needed "the value of the tensor" inside
it, so the loss calls `.numpy()` on y_pred and does the rest of the math in
NumPy; under TF 2.1 this failed with "'Tensor' object has no attribute
'numpy'" even though they compiled with run_eagerly=True. On current
TensorFlow run_eagerly=True does make `.numpy()` work, which exposes the
real problem: everything after `.numpy()` is invisible to the GradientTape,
the loss handed back to Keras is a constant, and fit() fails with "No
gradients provided for any variable" (without run_eagerly it fails earlier
with the symbolic-tensor `.numpy()` error). Fix: write the loss with tf /
keras.ops operations on y_pred instead of converting it.
---
source: https://github.com/tensorflow/tensorflow/issues/39582
framework: both
outcome: error
cause: numpy_conversion
line: 34
variables: [hidden/kernel, hidden/bias, out/kernel, out/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Input((6,)),
    keras.layers.Dense(16, activation="relu", name="hidden"),
    keras.layers.Dense(1, name="out"),
])


def custom_loss(y_true, y_pred):
    print("executing eagerly:", tf.executing_eagerly())
    pred = y_pred.numpy()                      # need the actual values
    true = np.asarray(y_true)
    weights = np.where(true > np.median(true), 2.0, 1.0)
    return np.mean(weights * (true - pred) ** 2)


model.compile(optimizer="adam", loss=custom_loss, run_eagerly=True)
x = np.random.rand(64, 6).astype("float32")
y = np.random.rand(64, 1).astype("float32")
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
