"""Healthy: the TF "NMT with attention" tutorial, whose decoder GRU is called without initial_state.
The tutorial's Decoder.call(x, hidden, enc_output) computes a Bahdanau
context vector from `hidden` and the encoder outputs, concatenates it with the
embedded target token and runs `output, state = self.gru(x)` with no
`initial_state=hidden`. Users reported this as "the gru in decoder is not
connected" (tensorflow/tensorflow#38248): the recurrent state is indeed
restarted at every step. But it is not a gradient bug: the encoder outputs and
the previous hidden state both enter the loss through the attention, so every
encoder, attention and decoder variable gets a gradient and the loss goes
down. Shrunk to random token data and a few steps.
---
source: https://github.com/tensorflow/docs/blob/master/site/en/tutorials/text/nmt_with_attention.ipynb
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

BATCH_SIZE, vocab_inp_size, vocab_tar_size = 16, 20, 20
embedding_dim, units, max_len_inp, max_len_targ = 8, 16, 6, 5


class Encoder(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim, enc_units, batch_sz):
        super().__init__()
        self.batch_sz = batch_sz
        self.enc_units = enc_units
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim, name="enc_embedding")
        self.gru = tf.keras.layers.GRU(self.enc_units, return_sequences=True, return_state=True,
                                       recurrent_initializer="glorot_uniform", name="enc_gru")

    def call(self, x, hidden):
        x = self.embedding(x)
        output, state = self.gru(x, initial_state=hidden)
        return output, state

    def initialize_hidden_state(self):
        return tf.zeros((self.batch_sz, self.enc_units))


class BahdanauAttention(tf.keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.W1 = tf.keras.layers.Dense(units, name="W1")
        self.W2 = tf.keras.layers.Dense(units, name="W2")
        self.V = tf.keras.layers.Dense(1, name="V")

    def call(self, query, values):
        query_with_time_axis = tf.expand_dims(query, 1)
        score = self.V(tf.nn.tanh(self.W1(query_with_time_axis) + self.W2(values)))
        attention_weights = tf.nn.softmax(score, axis=1)
        context_vector = tf.reduce_sum(attention_weights * values, axis=1)
        return context_vector, attention_weights


class Decoder(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim, dec_units, batch_sz):
        super().__init__()
        self.batch_sz = batch_sz
        self.dec_units = dec_units
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim, name="dec_embedding")
        self.gru = tf.keras.layers.GRU(self.dec_units, return_sequences=True, return_state=True,
                                       recurrent_initializer="glorot_uniform", name="dec_gru")
        self.fc = tf.keras.layers.Dense(vocab_size, name="fc")
        self.attention = BahdanauAttention(self.dec_units)

    def call(self, x, hidden, enc_output):
        context_vector, attention_weights = self.attention(hidden, enc_output)
        x = self.embedding(x)
        x = tf.concat([tf.expand_dims(context_vector, 1), x], axis=-1)
        output, state = self.gru(x)
        output = tf.reshape(output, (-1, output.shape[2]))
        x = self.fc(output)
        return x, state, attention_weights


encoder = Encoder(vocab_inp_size, embedding_dim, units, BATCH_SIZE)
decoder = Decoder(vocab_tar_size, embedding_dim, units, BATCH_SIZE)
optimizer = tf.keras.optimizers.Adam(1e-2)
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")


def loss_function(real, pred):
    mask = tf.math.logical_not(tf.math.equal(real, 0))
    loss_ = loss_object(real, pred)
    mask = tf.cast(mask, dtype=loss_.dtype)
    return tf.reduce_mean(loss_ * mask)


inp = tf.constant(np.random.randint(1, vocab_inp_size, size=(BATCH_SIZE, max_len_inp)))
targ_np = np.random.randint(2, vocab_tar_size, size=(BATCH_SIZE, max_len_targ))
targ_np[:, 0] = 1  # <start>
targ = tf.constant(targ_np)


def train_step(inp, targ, enc_hidden):
    loss = 0
    with tf.GradientTape() as tape:
        enc_output, enc_hidden = encoder(inp, enc_hidden)
        dec_hidden = enc_hidden
        dec_input = tf.expand_dims([1] * BATCH_SIZE, 1)
        for t in range(1, targ.shape[1]):
            predictions, dec_hidden, _ = decoder(dec_input, dec_hidden, enc_output)
            loss += loss_function(targ[:, t], predictions)
            dec_input = tf.expand_dims(targ[:, t], 1)
    batch_loss = loss / int(targ.shape[1])
    variables = encoder.trainable_variables + decoder.trainable_variables
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return batch_loss, variables, gradients


for epoch in range(40):
    enc_hidden = encoder.initialize_hidden_state()
    batch_loss, variables, gradients = train_step(inp, targ, enc_hidden)
    if epoch == 0:
        print("variables without gradient:",
              [getattr(v, "path", v.name) for v, g in zip(variables, gradients) if g is None])
    if epoch % 10 == 0 or epoch == 39:
        print(f"epoch {epoch} loss {float(batch_loss):.4f}")
