"""Physics-informed network from a Keras issue: the user computes dT/dx inside a Lambda layer
with `tf.gradients(Txy, x, unconnected_gradients='zero')`, feeds it to more Dense layers and
trains on that second network's output only. `fit` fails with "Variable lay2/bias has `None`
for gradient". The user blamed the Lambda layer (it works with Multiply). Real cause (found by
running): the loss depends on Txy only through its derivative w.r.t. the input x, and a
derivative w.r.t. x drops every additive constant that sits after the last nonlinearity: the
biases of `lay2` (no activation) and of `Txy` never reach the loss, so the legacy optimizer
finds no gradient for them. `unconnected_gradients='zero'` only affects the inner tf.gradients
call, not the optimizer's. Fix: give `lay2`/`Txy` `use_bias=False` (or an activation on lay2),
or also put Txy itself in the loss as a second output.
Keras 2 (tf-keras) in graph mode only: Keras 3 and eager tf-keras refuse tf.gradients on
symbolic Keras tensors when building the Lambda.
---
source: https://github.com/keras-team/keras/issues/13050
framework: keras2
outcome: error
cause: unused_variable
static: false
line: [45, 40, 42, 31]
variables: [lay2/bias, Txy/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.compat.v1.disable_eager_execution()
from tensorflow import keras as k
tf.keras.utils.set_random_seed(0)


def custom_gradient(y, x):
    return tf.gradients(y, x, unconnected_gradients='zero')


x = k.layers.Input(shape=(1,), name='x')
y = k.layers.Input(shape=(1,), name='y')

lay = k.layers.Dense(50, name='lay1')(k.layers.concatenate([x, y]))
lay = k.layers.Activation('tanh', name='tanh1')(lay)

lay = k.layers.Dense(50, name='lay2')(lay)

Txy = k.layers.Dense(1, name='Txy')(lay)

# dT_dx = k.layers.Lambda(lambda F: k.layers.Multiply()([F, F]))(Txy)  #<- works fine!
dT_dx = k.layers.Lambda(lambda F: custom_gradient(F, x)[0], name='dT_dx')(Txy)

lay = k.layers.Dense(50, name='lay3')(dT_dx)
lay = k.layers.Activation('tanh', name='tanh3')(lay)
out = k.layers.Dense(1, name='out')(lay)

model = k.models.Model([x, y], out)
model.compile(optimizer='adam', loss='mse')

X = np.random.rand(64, 1)
Y = np.random.rand(64, 1)
T = np.random.rand(64, 1)
model.fit([X, Y], T, epochs=2, batch_size=16, verbose=0)
