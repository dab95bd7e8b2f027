"""Multi-hypothesis ("particles") regression trained with a winner-take-all loss: the loss
computes each particle's error, picks the best particle with K.argmin(errors) and pulls the
index out with K.eval() to choose the branch in Python; inside model.fit the loss is traced
symbolically, so K.eval cannot give a value and compile/fit fails before training.

---
source: https://github.com/keras-team/keras/issues/4617
framework: both
outcome: error
cause: numpy_conversion
line: 29
also: [nondifferentiable_op]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K

num_particles, label_dims = 3, 2


# y_true.shape = (batch_size, 1, label_dims)
# y_pred.shape = (batch_size, num_particles, label_dims)
def winner_take_all_loss(y_true, y_pred):
    errors = []
    for p in range(0, num_particles):
        errors.append(K.sum(K.abs(y_true[:, 0, :] - y_pred[:, p, :])))
    min_index = K.eval(K.argmin(K.stack(errors)))
    loss = K.abs(y_true[:, 0, :] - y_pred[:, 0, :])
    for p in range(1, num_particles):
        if min_index == p:  # min_index == p, use true loss
            loss = K.abs(y_true[:, 0, :] - y_pred[:, p, :])
    return K.mean(loss)


model = tf.keras.Sequential([
    tf.keras.Input((6,)),
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(num_particles * label_dims),
    tf.keras.layers.Reshape((num_particles, label_dims)),
])
model.compile(optimizer="adam", loss=winner_take_all_loss)
x = np.random.rand(32, 6).astype("float32")
y = np.random.rand(32, 1, label_dims).astype("float32")
model.fit(x, y, batch_size=8, epochs=1, verbose=0)
print("trained")
