"""NALP GSGAN: a generator emits token logits, a GumbelSoftmax layer adds Gumbel noise and
returns both the relaxed one-hot sample (differentiable) and its argmax token
(stop_gradient, for decoding only). The discriminator scores the relaxed sample, so the
generator trains through the Gumbel-softmax; argmax never enters the loss.

---
source: https://github.com/gugarosa/nalp/blob/HEAD/nalp/models/layers/gumbel_softmax.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
from tensorflow.keras import layers

EPSILON = 1e-10


def gumbel_distribution(input_shape):
    u = tf.random.uniform(input_shape, 0, 1)
    return -tf.math.log(-tf.math.log(u + EPSILON) + EPSILON)


class GumbelSoftmax(layers.Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, x, tau):
        x = x + gumbel_distribution(tf.shape(x))
        x = tf.nn.softmax(x * tau, axis=self.axis)
        y = tf.stop_gradient(tf.argmax(x, axis=self.axis))
        return x, y


VOCAB, MAXLEN = 12, 6


class GumbelLSTMGenerator(tf.keras.Model):
    def __init__(self):
        super().__init__(name="generator")
        self.rnn = layers.LSTM(16, return_sequences=True)
        self.fc = layers.Dense(VOCAB)
        self.gumbel = GumbelSoftmax()

    def call(self, noise, tau=5.0):
        logits = self.fc(self.rnn(noise))
        soft_tokens, sampled_ids = self.gumbel(logits, tau=tau)
        return soft_tokens, sampled_ids


generator = GumbelLSTMGenerator()
discriminator = tf.keras.Sequential(
    [tf.keras.Input((MAXLEN, VOCAB)), layers.Conv1D(8, 3, activation="relu"), layers.GlobalMaxPooling1D(), layers.Dense(1)],
    name="discriminator",
)
bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
g_opt, d_opt = tf.keras.optimizers.Adam(1e-2), tf.keras.optimizers.Adam(1e-3)
real = tf.one_hot(np.random.randint(0, 3, (32, MAXLEN)), VOCAB)

generator(tf.random.normal((1, MAXLEN, 4)))
g_before = [v.numpy().copy() for v in generator.trainable_variables]
g_losses = []
for step in range(15):
    noise = tf.random.normal((32, MAXLEN, 4))
    with tf.GradientTape() as d_tape:
        fake, _ = generator(noise)
        d_loss = bce(tf.ones((32, 1)), discriminator(real)) + bce(tf.zeros((32, 1)), discriminator(fake))
    d_grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
    d_opt.apply_gradients(zip(d_grads, discriminator.trainable_variables))

    with tf.GradientTape() as g_tape:
        fake, sampled_ids = generator(noise)
        g_loss = bce(tf.ones((32, 1)), discriminator(fake))
    g_grads = g_tape.gradient(g_loss, generator.trainable_variables)
    g_opt.apply_gradients(zip(g_grads, generator.trainable_variables))
    g_losses.append(float(g_loss))

print("g_loss", g_losses[0], "->", g_losses[-1], "sample", sampled_ids.numpy()[0])
changed = [not np.allclose(b, v.numpy()) for b, v in zip(g_before, generator.trainable_variables)]
assert all(changed), changed
print("ok")
