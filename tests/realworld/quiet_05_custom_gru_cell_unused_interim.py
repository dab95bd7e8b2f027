"""Regression model on a hand-written GRU cell (a keras.layers.AbstractRNNCell wrapped in
keras.layers.RNN) trained with model.fit. `build` creates the reset gate, update gate and an
`interim` weight for the candidate state, but `call` computes the candidate from the reset-gated
state with the reset-gate kernel again and never reads `self.w_h` ('interim'). tf-keras warns
"Gradients do not exist for variables [regressor/rnn/my_gru/interim:0] when minimizing the loss" at every
step, and `interim` is bit-identical after training while the other variables change (exactly
what the user printed after one and ten epochs). AbstractRNNCell only exists in tf-keras.
---
source: https://github.com/tensorflow/probability/issues/927
framework: keras2
outcome: warning
cause: unused_variable
static: false
line: [43, 55]
variables: [interim]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras


class myGRU(keras.layers.AbstractRNNCell):
    def __init__(self, units, **kwargs):
        self.units = units
        super(myGRU, self).__init__(**kwargs)

    @property
    def state_size(self):
        return self.units

    def build(self, input_shape):
        self.dim = input_shape[-1]
        self.w_r = self.add_weight(shape=[self.dim + self.units, self.units], initializer='uniform',
                                   name='reset_gate', trainable=True)
        self.b_r = self.add_weight(shape=[self.units], initializer='zeros', name='reset_gate_bias',
                                   trainable=True)
        self.w_z = self.add_weight(shape=[self.dim + self.units, self.units], initializer='uniform',
                                   name='update_gate', trainable=True)
        self.b_z = self.add_weight(shape=[self.units], initializer='zeros', name='update_gate_bias',
                                   trainable=True)
        self.w_h = self.add_weight(shape=[self.dim + self.units, self.units], initializer='uniform',
                                   name='interim', trainable=True)
        self.b_h = self.add_weight(shape=[self.units], initializer='zeros', name='interim_bias',
                                   trainable=True)
        self.built = True

    def call(self, inputs, states):
        h_prev = states[0]
        concat = tf.concat([inputs, h_prev], axis=-1)
        r = tf.sigmoid(tf.matmul(concat, self.w_r) + self.b_r)
        z = tf.sigmoid(tf.matmul(concat, self.w_z) + self.b_z)
        concat_r = tf.concat([inputs, r * h_prev], axis=-1)
        h_tilde = tf.tanh(tf.matmul(concat_r, self.w_r) + self.b_h)
        h = (1 - z) * h_prev + z * h_tilde
        return h, [h]


class Regressor(keras.models.Model):
    def __init__(self):
        super(Regressor, self).__init__()
        self.rnn = keras.layers.RNN(myGRU(8, name='my_gru'), name='rnn')
        self.out = keras.layers.Dense(1)

    def call(self, x):
        return self.out(self.rnn(x))


tf.keras.utils.set_random_seed(0)
model = Regressor()
model.compile(optimizer='adam', loss='mse')
x = np.random.randn(32, 5, 3).astype('float32')
y = np.random.randn(32, 1).astype('float32')
model(x)
cell = model.rnn.cell
interim_before = cell.w_h.numpy().copy()
reset_before = cell.w_r.numpy().copy()
model.fit(x, y, batch_size=16, epochs=1, verbose=0)
print('interim unchanged:', np.array_equal(interim_before, cell.w_h.numpy()))
print('reset_gate changed:', not np.array_equal(reset_before, cell.w_r.numpy()))
