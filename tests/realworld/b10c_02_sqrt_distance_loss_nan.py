"""The user wrote a Keras model that corrects GPS positions and a custom loss
that is the mean Euclidean distance error between predicted and true position,
`K.mean(tf.sqrt(tf.add(tf.square(lx), tf.square(ly))))`. During training the
loss "suddenly became nan"; lowering the learning rate, changing the batch size,
gradient clipping, cleaning the data and BatchNormalization did not help. The
cause (per the post): sqrt is not differentiable at 0; whenever a predicted point
coincides exactly with the true point (here: stationary samples whose true
offset is (0, 0) and a ReLU output that is exactly 0), the backward pass computes
0 * inf = NaN, the NaN gradient is applied to the weights and every later loss is
NaN (in this shrunk copy the ReLU output turns the NaN
activations into 0, so the printed loss freezes instead of printing nan, while
every weight is NaN). Fix: add a small constant inside the sqrt,
`tf.sqrt(tf.square(lx) + tf.square(ly) + 1e-10)`.
---
source: http://ddrv.cn/?p=758668
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 34
variables: [dense_1/kernel, dense_1/bias, offset/kernel, offset/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K

tf.keras.utils.set_random_seed(0)


def gps_distance_loss(y_true, y_pred):
    lx = y_true[:, 0] - y_pred[:, 0]   # east error (m)
    ly = y_true[:, 1] - y_pred[:, 1]   # north error (m)
    return K.mean(tf.sqrt(tf.add(tf.square(lx), tf.square(ly))))


# features of raw GPS fixes -> non-negative offset (m) inside the grid cell
x = np.random.randn(512, 8).astype("float32")
y = np.abs(np.random.randn(512, 2)).astype("float32")
y[::4] = 0.0                                   # stationary receivers: offset (0, 0)

model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(32, activation="relu", name="dense_1"),
    keras.layers.Dense(2, activation="relu", name="offset"),
])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=gps_distance_loss)
hist = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
print("loss per epoch:", hist.history["loss"])
print("NaN in weights:", [bool(np.isnan(w).any()) for w in model.get_weights()])
