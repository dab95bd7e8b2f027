"""Daily debit transactions of bank branches, one small Keras regressor per branch:
BatchNormalization, three ReLU Dense layers, Flatten and a single-unit output with
activation='relu', MSE + Adam. For some branches the model predicts 0 for everything.
With tf.keras.utils.set_random_seed(0) (checked; most other seeds train) the output unit's
pre-activation is negative for every sample from the first step on, so the final ReLU
outputs exactly 0 and passes back a gradient of exactly 0: every kernel, bias and the
BatchNorm gamma/beta get all-zero gradients, Adam never moves anything and the loss is the
same number in every epoch (the MSE of predicting 0). Use a linear output unit for
regression (or softplus if the target must be non-negative).
---
source: https://github.com/keras-team/keras/issues/18247
framework: keras3
outcome: trains_silently
cause: zero_gradient
static: false
line: 42
variables: [dense, dense_1, dense_2, dense_3, batch_normalization]
xfail: "the output ReLU is dead in training mode only (BatchNormalization normalises with the batch's statistics); gradtrace's check recomputes in inference mode, to draw no random number and update no statistic, so it can only say that the loss never changed, at the compile line"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

from keras.models import Sequential
from keras.layers import Dense, LSTM, Flatten, BatchNormalization, Dropout
from keras.optimizers import Adam

rng = np.random.default_rng(0)
X = rng.gamma(2.0, 50.0, size=(124, 7)).astype("float32")   # last 7 days' debits
X[rng.random(X.shape) < 0.28] = 0.0                         # weekends/holidays filled with 0
y = (X.mean(axis=1) + rng.normal(0, 5, size=124)).clip(0).astype("float32")
epochs = 5

model = Sequential()
model.add(BatchNormalization())
model.add(Dense(32 , activation='relu'))
model.add(Dense(64, activation='relu'))
model.add(Dense(128, activation='relu'))
model.add(Flatten())
model.add(Dense(1, activation='relu'))
model.compile(loss='mean_squared_error', optimizer=Adam())
history = model.fit(X, y, epochs=epochs, batch_size=31, verbose=0)
print("loss per epoch:", [round(l, 4) for l in history.history["loss"]])
print("predictions:", model.predict(X[:5], verbose=0).ravel())
