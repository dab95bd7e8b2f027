"""A user building a custom Seq2Seq regressor projected the input with
`wflat0/bflat0` + selu, ran an encoder LSTM (`outputs, states =
static_rnn(lstm_cell, x)`), then ran a separate decoder LSTM over the target
sequence (`decoutputs, decstates = static_rnn(decoder, y)`) and projected
`decoutputs` with `wflat1/bflat1/wflat2`. The gradients of wflat0, bflat0 and
the encoder LSTM weights came back as None although "the variables are used in
the network". Cause (confirmed by running): the decoder is never given the
encoder's final state (`initial_state=states` is missing), so the loss only
depends on the decoder branch; everything on the encoder side is computed but
disconnected from the loss. Fix: `decoder(y, initial_state=states)`.
Ported from tf.contrib static_rnn (TF1) to Keras LSTM layers, same structure.
---
source: https://github.com/tensorflow/tensorflow/issues/13621
framework: both
outcome: gradient_none
cause: unused_variable
static: false
also: [disconnected]
line: 63
variables: [wflat0, bflat0, encoder_lstm]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

BATCH, STEPS, FEAT, LSTM_HIDDEN = 8, 5, 16, 12
LinearInitializer = tf.keras.initializers.GlorotUniform(seed=1)
BiasInitializer = tf.keras.initializers.Zeros()


def selu(x):
    return tf.nn.selu(x)


class Seq2Seq:
    def __init__(self):
        self.wflat0 = tf.Variable(LinearInitializer((FEAT, 32)), name="wflat0")
        self.bflat0 = tf.Variable(BiasInitializer((32,)), name="bflat0")
        self.lstm_cell = tf.keras.layers.LSTM(LSTM_HIDDEN, return_sequences=True, return_state=True,
                                              name="encoder_lstm")
        self.decoder = tf.keras.layers.LSTM(LSTM_HIDDEN, return_sequences=True, return_state=True,
                                            name="decoder_lstm")
        self.wflat1 = tf.Variable(LinearInitializer((LSTM_HIDDEN, 16)), name="wflat1")
        self.bflat1 = tf.Variable(BiasInitializer((16,)), name="bflat1")
        self.wflat2 = tf.Variable(LinearInitializer((16, 1)), name="wflat2")
        self.bflat2 = tf.Variable(BiasInitializer((1,)), name="bflat2")

    def variables(self):
        return ([self.wflat0, self.bflat0] + self.lstm_cell.trainable_variables
                + self.decoder.trainable_variables
                + [self.wflat1, self.bflat1, self.wflat2, self.bflat2])

    def __call__(self, x, y_):
        shape = tf.shape(x)
        flat = tf.reshape(x, (-1, FEAT))
        l0flat = selu(tf.matmul(flat, self.wflat0) + self.bflat0)
        x = tf.reshape(l0flat, [shape[0], shape[1], 32])
        outputs, state_h, state_c = self.lstm_cell(x)
        states = [state_h, state_c]

        y = tf.reshape(y_, [tf.shape(y_)[0], tf.shape(y_)[1], 1])
        decoutputs, dec_h, dec_c = self.decoder(y)

        shapes = tf.shape(decoutputs)
        decoutputs = tf.reshape(decoutputs, (shapes[0] * shapes[1], shapes[2]))
        l1flat = selu(tf.matmul(decoutputs, self.wflat1) + self.bflat1)
        out = tf.matmul(l1flat, self.wflat2) + self.bflat2
        return tf.reshape(out, [shapes[0], shapes[1]])


net = Seq2Seq()
x = tf.constant(np.random.randn(BATCH, STEPS, FEAT).astype("float32"))
y_in = tf.constant(np.random.randn(BATCH, STEPS).astype("float32"))
target = tf.constant(np.random.randn(BATCH, STEPS).astype("float32"))
net(x, y_in)  # build the LSTM layers

with tf.GradientTape() as tape:
    pred = net(x, y_in)
    loss = tf.reduce_mean(tf.square(pred - target))
grads = tape.gradient(loss, net.variables())
for v, g in zip(net.variables(), grads):
    print(f"{getattr(v, 'path', v.name):45s} grad is None: {g is None}")
