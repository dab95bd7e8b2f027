"""triplet-toolbox batch-hard triplet loss used as a Keras loss in model.fit: pairwise
distances, an adjacency mask from labels, the hardest positive / hardest negative of each
anchor picked by tf.argmax / tf.argmin indices and read back with tf.gather (indices are
not differentiable, the gathered distances are), hinge with margin.

---
source: https://github.com/maxsch3/triplet-toolbox/blob/HEAD/triplet_tools/losses/shared_functions.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace

high_value = 1e16


def make_adj_matrix(labels, dtype):
    lm = tf.cond(tf.equal(tf.rank(labels), 1), lambda: tf.expand_dims(labels, -1), lambda: labels)
    mem = tf.equal(lm, tf.transpose(lm))
    return tf.cast(mem, dtype)


def euclidean_dist(x):
    x_l2 = tf.reduce_sum(x ** 2, axis=1, keepdims=True)
    d_sq = tf.math.add(x_l2, tf.transpose(x_l2)) - 2.0 * tf.matmul(x, tf.transpose(x))
    d_sq = tf.maximum(d_sq, 1e-16)
    return tf.sqrt(d_sq)


def hard_positive(x, adj):
    hardest_idx = tf.argmax(x * adj, axis=1)
    return tf.gather(x, hardest_idx, axis=1, batch_dims=1)


def mask_negatives(x, adj):
    return x * (1.0 - adj) + high_value * adj


def hard_negative(x, adj):
    hardest_idx = tf.argmin(mask_negatives(x, adj), axis=1)
    return tf.gather(x, hardest_idx, axis=1, batch_dims=1)


def triplet_batch_hard_loss(margin=1.0):
    def loss_function(labels, embeddings):
        d = euclidean_dist(embeddings)
        adj = make_adj_matrix(labels, embeddings.dtype)
        hp = hard_positive(d, adj)
        hn = hard_negative(d, adj)
        return tf.reduce_mean(tf.maximum(hp - hn + margin, 0.0))

    return loss_function


centers = np.random.randn(4, 10).astype("float32")
labels = np.repeat(np.arange(4), 16)
x = centers[labels] + 0.8 * np.random.randn(64, 10).astype("float32")

model = tf.keras.Sequential(
    [tf.keras.Input((10,)), tf.keras.layers.Dense(32, activation="relu"), tf.keras.layers.Dense(8)]
)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-2), loss=triplet_batch_hard_loss(margin=1.0))
before = [v.numpy().copy() for v in model.trainable_variables]
history = model.fit(x, labels.astype("float32"), epochs=8, batch_size=32, shuffle=True, verbose=0)
print("loss", history.history["loss"][0], "->", history.history["loss"][-1])
assert history.history["loss"][-1] < history.history["loss"][0]
assert all(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
print("ok")
