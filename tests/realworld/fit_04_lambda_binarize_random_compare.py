"""A Lambda layer binarizes a sigmoid output stochastically (K.random_uniform(...) <= x, cast to float)
and multiplies the input by it; train_on_batch on the model fails because the comparison has no gradient,
so the Dense layer before it gets none.

---
source: https://github.com/tensorflow/tensorflow/issues/44125
framework: both
outcome: error
cause: nondifferentiable_op
line: 24
also: [integer_cast]
variables: [dense/kernel, dense/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np

from tensorflow.keras import backend as K
from tensorflow.keras.layers import *
from tensorflow.keras.models import Model

def binarize(d):
    x1, x2 = d
    return x1 * K.cast(K.random_uniform(shape=K.shape(x2)) <= x2, 'float32')

inp = Input((1,))
var = Dense(1, activation='sigmoid')(inp)
out = Lambda(binarize)([inp, var])

model = Model(inp, out)
model.compile(loss='mse', optimizer='sgd')

x = np.random.normal(size=(128, 1))
y = (x >= 0).astype('float32')
model.train_on_batch(x, y)
print("trained")
