"""The user wants to provoke a NaN loss now and then, to see how Keras callbacks react,
so the soft Dice loss draws a random number with `K.eval(K.random_normal(...))` and,
on a Python `if`, returns `K.exp(1.0) / K.exp(-1e10) - K.exp(1.0) / K.exp(-1e10)`
(inf - inf = NaN) instead of the Dice value. That branch is built only from Python
constants: it does not use `y_pred` at all, so when it is taken the loss is a constant
and no variable has a gradient. Training stops before the first epoch with
"No gradients provided for any variable" (TF1: "An operation has `None` for gradient").
The `if` is Python, so it is decided once per call (once per graph in TF1) rather than
inside the graph. Fix (the answer): keep the branch in the graph and keep the normal
branch connected, `K.switch(K.random_normal(()) > 3, K.variable(np.nan), loss)`.
`run_eagerly=True` stands in for TF1's build-time evaluation of the `K.eval` call
(in a TF2 graph `K.eval` itself fails with "'SymbolicTensor' object has no attribute 'numpy'").

---
source: https://whosebug.com/question/3947248/Keras-loss-function-understanding
framework: keras2
outcome: error
cause: disconnected
line: [36, 38]
variables: [conv2d/kernel, conv2d/bias, conv2d_1/kernel, conv2d_1/bias]
also: [numpy_conversion]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D

tf.random.set_seed(0)
np.random.seed(0)


def soft_dice_loss(y_true, y_pred):

  from tensorflow.keras import backend as K
  if K.eval(K.random_normal((1, 1), mean=2, stddev=2))[0][0] // 1 == 2.0:
    # return nan
    return K.exp(1.0) / K.exp(-10000000000.0) - K.exp(1.0) / K.exp(-10000000000.0)

  epsilon = 1e-6

  axes = tuple(range(1, len(y_pred.shape) - 1))
  numerator = 2. * K.sum(y_pred * y_true, axes)
  denominator = K.sum(K.square(y_pred) + K.square(y_true), axes)

  return 1 - K.mean(numerator / (denominator + epsilon))


model = Sequential([
    Conv2D(4, 3, padding="same", activation="relu", input_shape=(16, 16, 1)),
    Conv2D(1, 1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss=soft_dice_loss, run_eagerly=True)

x = np.random.rand(16, 16, 16, 1).astype("float32")
y = (np.random.rand(16, 16, 16, 1) > 0.5).astype("float32")
model.fit(x, y, epochs=3, batch_size=8, verbose=0)
print("trained")
