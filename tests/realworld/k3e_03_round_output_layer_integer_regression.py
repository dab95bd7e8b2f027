"""To make a regressor output integer counts, the user wrote a small custom layer `Round` (its
forward pass is K.round of its input) and put it as the last layer of a Sequential model
Dense(20)-relu-Dense(20)-relu-Dense(3)-Round(), trained with mean_absolute_error. Rounding is a
step function: TensorFlow registers no gradient for Round, so nothing flows back from the loss
to any Dense kernel and fit stops with "No gradients provided for any variable" (old
Theano-Keras silently trained nothing: the gradient was zero everywhere). Fix: train without
the Round layer (round only at prediction time) or use a straight-through estimator
x + stop_gradient(round(x) - x).

---
source: https://github.com/keras-team/keras/issues/2221
framework: both
outcome: error
cause: nondifferentiable_op
line: 35
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias, dense_2/kernel, dense_2/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Layer, Dense, Activation, Input
from tensorflow.keras.models import Sequential
import tensorflow.keras.backend as K

np.random.seed(0)
tf.random.set_seed(0)


class Round(Layer):

    def __init__(self, **kwargs):
        super(Round, self).__init__(**kwargs)

    def call(self, X):  # was get_output(self, train=False) in Keras 0.x
        return K.round(X)

    def get_config(self):
        config = {"name": self.__class__.__name__}
        base_config = super(Round, self).get_config()
        return dict(list(base_config.items()) + list(config.items()))


max_features = 12
m = Sequential()
m.add(Input(shape=(max_features,)))
m.add(Dense(20))
m.add(Activation('relu'))
m.add(Dense(20))
m.add(Activation('relu'))
m.add(Dense(3))
m.add(Round())
m.compile(loss='mean_absolute_error', optimizer='adam')

X = np.random.rand(64, max_features).astype('float32')
Y = np.random.randint(0, 5, size=(64, 3)).astype('float32')
m.fit(X, Y, batch_size=16, epochs=1, verbose=0)
