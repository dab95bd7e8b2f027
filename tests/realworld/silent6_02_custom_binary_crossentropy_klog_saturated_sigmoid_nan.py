"""A hand-written binary cross-entropy passed to model.compile:
`-(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))`, averaged with K.mean, on a
network whose last layer is a sigmoid ("so p is between 0 and 1 and the log should exist").
Without an epsilon it is not safe in float32: once a logit passes about +17 the sigmoid
returns exactly 1.0 (and exactly 0.0 below about -104), `K.log(1 - y_pred)` is log(0) =
-inf, and `(1 - y_true) * -inf` is 0 * -inf = NaN for the positive samples. The backward
pass multiplies -1/(1 - p) = -inf by the sigmoid's derivative p * (1 - p) = 0, so the
gradients are NaN too; after a few iterations the loss is nan and so is every weight
("after few iterations, I get NaN as output for loss function"). Here the logits grow that
far because the inputs are unscaled. The report's own fix is the logits form used by
tf.nn.sigmoid_cross_entropy_with_logits (max(x, 0) - x * z + log(1 + exp(-|x|)) on the
pre-sigmoid output); alternatively clip y_pred to [K.epsilon(), 1 - K.epsilon()] or use the
built-in 'binary_crossentropy'.
---
source: https://thinbug.com/q/48951109
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 33
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Input
np.random.seed(0)
tf.random.set_seed(0)


def my_custom_loss(y_true, y_pred):
    t_loss = (-1)*(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))
    return K.mean(t_loss)


model = Sequential([
    Input((20,)),
    Dense(32, activation='relu'),
    Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss=my_custom_loss, metrics=['accuracy'])

# unscaled features (raw measurements in the hundreds)
x_train = (np.random.randn(256, 20) * 300.).astype('float32')
y_train = (x_train[:, :1] + x_train[:, 1:2] > 0).astype('float32')
history = model.fit(x_train, y_train, batch_size=32, epochs=3, verbose=0)
print('loss per epoch:', history.history['loss'])
print('nan in weights:', any(np.isnan(w).any() for w in model.get_weights()))
