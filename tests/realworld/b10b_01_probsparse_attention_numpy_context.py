"""The user ports Informer (ProbSparse self-attention) to TensorFlow 2. An
`AttentionLayer` projects queries, keys and values with three Dense layers and
hands them to a `ProbAttention` layer, which picks the top-k queries and writes
their attention output into an initial context. That write is done in NumPy:
`context_in = context_in.numpy()`, fancy-index assignment of
`tf.matmul(attn, V).numpy()`, then `tf.convert_to_tensor(context_in)`. Training
with a GradientTape runs, but TensorFlow warns "Gradients do not exist for
variables" for the query/key/value projections: the attention result leaves the
tape at the `.numpy()` calls, so only the output projection (and what follows)
trains. Per the thread, the author confirmed the NumPy conversion in
`_update_context` is the cause and fixed it (commit 6d5d6b3) by doing the
update with TensorFlow ops instead of NumPy. Shrunk: small sizes, random
data, one encoder block, full Q.K scores instead of sampled ones; the unused
`add_weight` placeholders of the original AttentionLayer.build are left out.
---
source: https://github.com/manjimnav/Informer-Tensorflow/issues/1
framework: both
outcome: warning
cause: numpy_conversion
line: [56, 57]
variables: [query_projection, key_projection, value_projection]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import math
from math import sqrt
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class ProbAttention(tf.keras.layers.Layer):
    def __init__(self, mask_flag=False, factor=2, scale=None, **kwargs):
        super(ProbAttention, self).__init__(**kwargs)
        self.factor = factor
        self.scale = scale
        self.mask_flag = mask_flag

    def _prob_QK(self, Q, K, n_top):
        # Q [B, H, L, D]
        Q_K_full = tf.matmul(Q, tf.transpose(K, [0, 1, 3, 2]))
        M = tf.math.reduce_max(Q_K_full, axis=-1) - tf.reduce_sum(Q_K_full, axis=-1) / K.shape[2]
        M_top = tf.math.top_k(M, n_top, sorted=False)[1]
        Q_reduce = tf.gather(Q, M_top, batch_dims=2)
        Q_K = tf.matmul(Q_reduce, tf.transpose(K, [0, 1, 3, 2]))
        return Q_K, M_top

    def _get_initial_context(self, V, L_Q):
        B, H, L_V, D = V.shape
        V_sum = tf.reduce_sum(V, -2)
        return tf.identity(tf.broadcast_to(tf.expand_dims(V_sum, -2), [B, H, L_Q, D]))

    def _update_context(self, context_in, V, scores, index, L_Q):
        B, H, L_V, D = V.shape
        attn = tf.keras.activations.softmax(scores, axis=-1)
        context_in = context_in.numpy()
        context_in[np.arange(B)[:, None, None], np.arange(H)[None, :, None], index.numpy(), :] = tf.matmul(attn, V).numpy()
        return tf.convert_to_tensor(context_in)

    def call(self, inputs):
        queries, keys, values = inputs
        B, L, H, D = queries.shape
        queries = tf.transpose(queries, [0, 2, 1, 3])
        keys = tf.transpose(keys, [0, 2, 1, 3])
        values = tf.transpose(values, [0, 2, 1, 3])
        u = self.factor * int(np.ceil(np.log(L)))
        scores_top, index = self._prob_QK(queries, keys, u)
        scale = self.scale or 1. / sqrt(D)
        scores_top = scores_top * scale
        context = self._get_initial_context(values, L)
        context = self._update_context(context, values, scores_top, index, L)
        return tf.transpose(context, [0, 2, 1, 3])


class AttentionLayer(tf.keras.layers.Layer):
    def __init__(self, attention, d_model, n_heads, **kwargs):
        super(AttentionLayer, self).__init__(**kwargs)
        d_keys = d_model // n_heads
        self.inner_attention = attention
        self.query_projection = tf.keras.layers.Dense(d_keys * n_heads, name="query_projection")
        self.key_projection = tf.keras.layers.Dense(d_keys * n_heads, name="key_projection")
        self.value_projection = tf.keras.layers.Dense(d_keys * n_heads, name="value_projection")
        self.out_projection = tf.keras.layers.Dense(d_model, name="out_projection")
        self.n_heads = n_heads

    def call(self, inputs):
        queries, keys, values = inputs
        B, L, _ = queries.shape
        _, S, _ = keys.shape
        H = self.n_heads
        queries = tf.reshape(self.query_projection(queries), (B, L, H, -1))
        keys = tf.reshape(self.key_projection(keys), (B, S, H, -1))
        values = tf.reshape(self.value_projection(values), (B, S, H, -1))
        out = tf.reshape(self.inner_attention([queries, keys, values]), (B, L, -1))
        return self.out_projection(out)


class Informer(tf.keras.Model):
    def __init__(self, d_model=16, n_heads=2, **kwargs):
        super(Informer, self).__init__(**kwargs)
        self.embed = tf.keras.layers.Dense(d_model, name="enc_embedding")
        self.attn = AttentionLayer(ProbAttention(False), d_model, n_heads, name="attention_layer")
        self.projection = tf.keras.layers.Dense(1, name="projection")

    def call(self, x):
        x = self.embed(x)
        x = x + self.attn([x, x, x])
        return self.projection(x)


B, L = 8, 12
x = np.random.rand(B, L, 3).astype("float32")
y = np.random.rand(B, L, 1).astype("float32")
model = Informer(name="informer")
model(x)
optimizer = tf.keras.optimizers.Adam(1e-3)
mse = tf.keras.losses.MeanSquaredError()

for epoch in range(3):
    with tf.GradientTape() as tape:
        pred = model(x)
        loss = mse(y, pred)
    grads = tape.gradient(loss, model.trainable_variables)
    missing = [v.name for g, v in zip(grads, model.trainable_variables) if g is None]
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print("epoch", epoch, "loss", float(loss), "no gradient:", len(missing))
print([getattr(v, "path", v.name) for g, v in zip(grads, model.trainable_variables) if g is None])
