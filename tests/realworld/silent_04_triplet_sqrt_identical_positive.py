"""Sequence-embedding model trained with a triplet loss on euclidean distances (sqrt of the summed squared difference); the batch generator sometimes draws a positive identical to its anchor, that distance is exactly 0, the gradient of sqrt there is infinite and every gradient of the encoder becomes NaN.

---
source: https://github.com/tensorflow/tensorflow/issues/30199
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 21
variables: [embedding/embeddings, encoder_dense/kernel, encoder_dense/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

vocab_size, horizon, emb_dim = 6, 5, 8


def pairwise_distance(a, b):
    return tf.sqrt(tf.reduce_sum(tf.square(a - b), axis=-1))


def triplet_loss(anchor, positive, negative, margin=0.5):
    d_pos = pairwise_distance(anchor, positive)
    d_neg = pairwise_distance(anchor, negative)
    return tf.reduce_mean(tf.maximum(d_pos - d_neg + margin, 0.0))


encoder = keras.Sequential([
    keras.Input((horizon,), dtype="int32"),
    keras.layers.Embedding(vocab_size, emb_dim, name="embedding"),
    keras.layers.GlobalAveragePooling1D(),
    keras.layers.Dense(16, name="encoder_dense"),
], name="encoder")
optimizer = keras.optimizers.Adam(1e-3)

rng = np.random.default_rng(1)
anchors = rng.integers(0, vocab_size, (16, horizon))
positives = anchors.copy()
positives[8:, 0] = (positives[8:, 0] + 1) % vocab_size  # half of the positives are a copy of the anchor
negatives = rng.integers(0, vocab_size, (16, horizon))
for step in range(3):
    with tf.GradientTape() as tape:
        loss = triplet_loss(encoder(anchors), encoder(positives), encoder(negatives))
    grads = tape.gradient(loss, encoder.trainable_variables)
    optimizer.apply_gradients(zip(grads, encoder.trainable_variables))
    print("step", step, "loss", float(loss), "finite grads:", [bool(tf.reduce_all(tf.math.is_finite(tf.convert_to_tensor(g)))) for g in grads])
