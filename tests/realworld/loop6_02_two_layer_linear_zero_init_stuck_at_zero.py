"""Fitting a straight line through the origin and (1, 2) with Keras. A single
Dense(1, use_bias=False, kernel_initializer=Zeros) learns the slope, but after inserting a
second, also zero-initialised Dense(1) the model keeps predicting 0 whatever the optimizer.
With both kernels at 0, d loss / d w1 = w2 * (...) = 0 and d loss / d w2 = w1 * x * (...) = 0:
every gradient exists but is exactly zero (a saddle point), so nothing ever moves.
Initialise at least one of the layers with a non-zero (random) initializer.
---
source: http://pullrequest.ru/11497463/lineinaya-odnosloinaya-dvuhsloinaya-ins-postoyannymi-predskazaniyami
framework: both
outcome: trains_silently
cause: zero_gradient
line: [25, 26, 27, 28]
variables: [dense/kernel, dense_1/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(0)
np.random.seed(0)

model2 = keras.Sequential([
    keras.Input(shape=(1,)),
    keras.layers.Dense(1, use_bias=False,
                       kernel_initializer=keras.initializers.Zeros()),
    keras.layers.Dense(1, use_bias=False,
                       kernel_initializer=keras.initializers.Zeros())
])
model2.compile(loss='mse',
               optimizer=keras.optimizers.Adam(learning_rate=.1))
model2.fit(np.array([[1.0]]), np.array([[2.0]]), epochs=50, verbose=0)
print("prediction:", model2.predict(np.array([[1.0]]), verbose=0))
