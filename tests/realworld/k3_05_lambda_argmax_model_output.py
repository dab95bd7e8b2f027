"""A functional model whose output is a Lambda layer wrapping `tf.math.argmax` over the
Dense layer's three units (the author was checking whether ArgMax is differentiable).
The model is compiled with "mae" and trained with `model.fit` on ones/zeros. ArgMax has
no registered gradient (its gradient function returns None), so the Dense layer receives
no gradient and fit raises "No gradients provided for any variable". The Lambda/argmax
line is where the chain breaks: train on the Dense output (or a soft relaxation) instead.
---
source: https://github.com/Mainak431/List-of-Differentiable--OPs-and-Non-differentiable-OPs--in-Tensorflow/issues/4
framework: both
outcome: error
cause: nondifferentiable_op
line: 24
variables: [dense/kernel, dense/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense, Lambda
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import SGD


def ArgMax():
    return Lambda(lambda q: tf.math.argmax(q, 2))


inputs1 = Input(shape=(1, 1,))
d = Dense(3)(inputs1)
out = ArgMax()(d)

model = Model(inputs=[inputs1], outputs=[out], name="test")

model.summary()
model.compile(SGD(0.1), loss="mae")
model.fit(
    x=[np.ones((100, 1, 1))],
    y=[np.zeros((100, 1))],
    batch_size=100,
    verbose=2,
    epochs=2)
