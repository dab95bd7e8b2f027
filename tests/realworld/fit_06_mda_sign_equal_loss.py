"""Stateful GRU forecaster compiled with a custom "mean directional accuracy" loss: K.equal of the
K.sign of consecutive differences of y_true and y_pred, cast and averaged. Equal has no gradient, so
model.fit fails with no gradient for any weight.

---
source: https://github.com/rstudio/keras3/issues/193
framework: both
outcome: error
cause: nondifferentiable_op
line: 27
also: [integer_cast]
variables: [gru, dense/kernel, dense/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow import keras

PRED_BATCH = 9
timesteps, num_features = 5, 3


def mda(y_true, y_pred):
    shape = PRED_BATCH
    dir = K.equal(K.sign(y_true[1:shape, :] - y_true[0:(shape - 1), :]), K.sign(y_pred[1:shape, :] - y_pred[0:(shape - 1), :]))
    m = K.mean(K.cast(dir, 'float32'))
    return m


model = keras.Sequential([
    keras.Input(batch_shape=(PRED_BATCH, timesteps, num_features)),
    keras.layers.GRU(8, stateful=True),
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss=mda)

x_train = np.random.randn(PRED_BATCH * 4, timesteps, num_features).astype("float32")
y_train = np.random.randn(PRED_BATCH * 4, 1).astype("float32")
model.fit(x_train, y_train, batch_size=PRED_BATCH, epochs=1, shuffle=False, verbose=0)
print("fit done")
