"""Virtual adversarial training for a text classifier (port of a TF1 tf.gradients recipe
to GradientTape): the KL divergence between the logits on the clean embeddings v and on
the perturbed embeddings must be differentiated with respect to the random noise r. The
user drew r, built the perturbed input `r = tf.add(v, r)`-style *before* the tape, then
watched the noise and ran the LSTM/Dense head on the precomputed sum. The tape never saw
noise -> perturbed input, so `tape.gradient(kl, r_noise)` is None (the thread: "returns
[None] in both cases", tensor or Variable). The fix posted in the thread: make the
perturbed tensor itself the watched source (add v and r, then `tape.watch` that sum and
feed it to the layers), or do the addition inside the tape after watching r.
---
source: https://github.com/tensorflow/tensorflow/issues/40652
framework: both
outcome: gradient_none
cause: wrong_sources
static: false
line: 48
also: [outside_tape, disconnected]
variables: [r_noise]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

tf.random.set_seed(0)
np.random.seed(0)
MAX_VOCAB_SIZE = 50
MAX_DOC_LENGTH = 12
EMBEDDING_DIM = 8


def compute_kld(p_logit, q_logit):
    p = tf.nn.softmax(p_logit)
    q = tf.nn.softmax(q_logit)
    kl_score = tf.reduce_sum(p * (tf.math.log(p + 1e-16) - tf.math.log(q + 1e-16)), axis=1)
    return kl_score


tokens = np.random.randint(0, MAX_VOCAB_SIZE, size=(4, MAX_DOC_LENGTH))
embedding = layers.Embedding(input_dim=MAX_VOCAB_SIZE, output_dim=EMBEDDING_DIM)
lstm = layers.LSTM(units=16, name='LSTM_layer')
dense = layers.Dense(units=10, name='Dense_layer')

v = embedding(tokens)
p_logit = dense(lstm(v))

r_noise = tf.random.uniform(shape=tf.shape(v), minval=0.001, maxval=0.005)
r = tf.add(v, r_noise)

with tf.GradientTape() as tape:
    tape.watch(r_noise)
    p_logit_r = dense(lstm(r))
    kl = compute_kld(p_logit, p_logit_r)
grad = tape.gradient(kl, r_noise)

print(grad)
