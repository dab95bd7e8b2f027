"""A user of the datalogue `AttentionDecoder` layer replaced the helper call
`self._uxpb = _time_distributed_dense(self.x_seq, self.U_a, b=self.b_a, ...)` with a Keras
`Dense(self.units, weights=self.U_a, bias=self.b_a)` wrapped in `TimeDistributed`, built inside
the layer's call, in a summarisation model (Embedding -> BiLSTM -> LSTM -> AttentionDecoder).
Training then failed with "An operation has `None` for gradient". The cause: passing the
layer's own weights as `weights=` to a brand-new Dense at most copies their values into that
Dense's freshly created kernel and bias (in tf-keras 2.21, `TimeDistributed` builds the inner
Dense itself, so the `weights=` are not even copied: `U_a` and `b_a` are never read). The forward pass reads those new variables, which are
created inside `call` and are not among the model's trainable weights, while `U_a` and `b_a`
themselves never take part in the output, so their gradients are None (tf.keras now warns
"Gradients do not exist for variables" instead of raising). The fix is to keep using `U_a`
and `b_a` directly (a dot product plus bias over the time axis) instead of a new Dense layer.
Keras 3 rejects the `weights=` argument outright, so this is a Keras 2 case; the model is
compiled with `run_eagerly=True` because a compiled tf.keras step refuses to create the new
Dense's variables on every call.
---
source: https://github.com/datalogue/keras-attention/issues/46
framework: keras2
outcome: warning
cause: unused_variable
static: false
also: [untracked_variable, numpy_conversion]
line: [57, 58]
variables: [U_a, b_a]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Dense, TimeDistributed

tf.keras.utils.set_random_seed(0)


class AttentionDecoder(keras.layers.Layer):
    def __init__(self, units, output_dim, **kwargs):
        self.units = units
        self.output_dim = output_dim
        super(AttentionDecoder, self).__init__(**kwargs)

    def build(self, input_shape):
        self.batch_size, self.timesteps, self.input_dim = input_shape
        # attention weights
        self.V_a = self.add_weight(shape=(self.units,), name='V_a', initializer='glorot_uniform')
        self.W_a = self.add_weight(shape=(self.units, self.units), name='W_a', initializer='glorot_uniform')
        self.U_a = self.add_weight(shape=(self.input_dim, self.units), name='U_a', initializer='glorot_uniform')
        self.b_a = self.add_weight(shape=(self.units,), name='b_a', initializer='zeros')
        # state init and output projection
        self.W_s = self.add_weight(shape=(self.input_dim, self.units), name='W_s', initializer='glorot_uniform')
        self.W_o = self.add_weight(shape=(self.input_dim, self.output_dim), name='W_o', initializer='glorot_uniform')
        self.b_o = self.add_weight(shape=(self.output_dim,), name='b_o', initializer='zeros')
        super(AttentionDecoder, self).build(input_shape)

    def call(self, x):
        self.x_seq = x
        # apply a dense layer over the time dimension of the sequence
        dense = Dense(self.units, weights=[self.U_a, self.b_a], input_dim=self.input_dim)
        self._uxpb = TimeDistributed(dense)(self.x_seq)

        outputs = []
        stm = tf.tanh(tf.matmul(self.x_seq[:, 0], self.W_s))
        for _ in range(self.timesteps):
            _stm = tf.expand_dims(tf.matmul(stm, self.W_a), 1)
            et = tf.tensordot(tf.tanh(_stm + self._uxpb), self.V_a, axes=1)
            at = tf.nn.softmax(et, axis=1)
            context = tf.reduce_sum(tf.expand_dims(at, -1) * self.x_seq, axis=1)
            yt = tf.nn.softmax(tf.matmul(context, self.W_o) + self.b_o)
            stm = tf.tanh(tf.matmul(context, self.W_s))
            outputs.append(yt)
        return tf.stack(outputs, axis=1)


input_max_sentence_length, input_vocabulary_size, output_vocabulary_size = 6, 30, 12
embedding_dimension, hidden_units = 8, 8

encoder_inputs = keras.layers.Input(shape=(input_max_sentence_length,), name='encoder_inputs')
encoder_embedding = keras.layers.Embedding(input_dim=input_vocabulary_size, output_dim=embedding_dimension,
                                           name='encoder_embedding')(encoder_inputs)
lstm0_output_hidden_sequence = keras.layers.Bidirectional(
    keras.layers.LSTM(hidden_units, return_sequences=True, name='bidirectional'))(encoder_embedding)
lstm01_output_hidden_sequence, lstm01_output_h, lstm01_output_c = keras.layers.LSTM(
    hidden_units, return_sequences=True, return_state=True, name='summarization')(lstm0_output_hidden_sequence)
attention_decoder = AttentionDecoder(hidden_units, output_vocabulary_size,
                                     name='attention_decoder')(lstm01_output_hidden_sequence)
model = keras.models.Model(inputs=encoder_inputs, outputs=attention_decoder)
model.compile(optimizer='adam', loss='categorical_crossentropy', run_eagerly=True)

x = np.random.randint(1, input_vocabulary_size, (32, input_max_sentence_length))
y = keras.utils.to_categorical(np.random.randint(0, output_vocabulary_size, (32, input_max_sentence_length)),
                               output_vocabulary_size)
model.fit(x, y, batch_size=8, epochs=2, verbose=2)
