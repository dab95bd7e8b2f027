"""`keras.layers.SimpleRNN(50, activation="exponential")` (the same with LSTM) on a
(6, 3)-step input: the layer outputs NaN as soon as the sequence is longer than about three
steps. The recurrence is h_t = exp(x_t W + h_{t-1} U + b); with 50 units the sum over the
previous state grows every step, exp overflows to inf after a few steps, and the next matmul
meets inf * (negative weight) + inf * (positive weight) = inf - inf = NaN. Trained with
fit, the loss is nan from the first batch, the NaN gradients are applied and every weight of
the model is NaN after one step. Fix: a bounded recurrent activation (tanh, the default), or
clip / normalise the state before the exponential.
---
source: https://github.com/keras-team/keras/issues/15912
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: [26, 27]
variables: [simple_rnn/simple_rnn_cell/kernel, simple_rnn/simple_rnn_cell/recurrent_kernel, simple_rnn/simple_rnn_cell/bias, dense/kernel, dense/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

np.random.seed(0)
tf.random.set_seed(0)

x = keras.layers.Input((6, 3))
buggy_layer = keras.layers.SimpleRNN(50, activation='exponential')
y = buggy_layer(x)
out = keras.layers.Dense(1)(y)
model = keras.Model(x, out)
model.compile(optimizer="adam", loss="mse")
print([getattr(v, "path", v.name) for v in model.trainable_variables])

inputs = np.random.rand(64, 6, 3).astype("float32")
targets = np.random.rand(64, 1).astype("float32")
print("nan in layer output before training:", bool(np.isnan(buggy_layer(inputs)).any()))
history = model.fit(inputs, targets, batch_size=16, epochs=2, verbose=0)
print("loss per epoch:", history.history["loss"])
print("nan in weights:", [bool(np.isnan(w).any()) for w in model.get_weights()])
