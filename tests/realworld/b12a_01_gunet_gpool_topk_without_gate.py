"""Graph U-Nets gPool layer whose top-k selection is never gated by the scores.
The user read ops.py of the Graph U-Nets reference code and noticed that the
graph-pooling layer computes scores = sigmoid(proj(h)), takes top-k of the
scores, and then only uses the returned *indices* to gather node features and
sub-sample the adjacency; the gate step `new_h = new_h * values` from the paper
was missing. Indices from top-k carry no gradient, so the projection vector p
(pool/proj) never receives a gradient while every GCN layer still trains; the
author confirmed the wrong version had been uploaded and restored the gate.
This is the same layer structure (GCN, Pool, top_k_graph, norm_g) ported from
the PyTorch code to Keras, trained per graph in a GradientTape loop. Fix:
multiply the gathered features by the top-k values (the gate).
---
source: https://github.com/HongyangGao/Graph-U-Nets/issues/4
framework: both
outcome: warning
cause: nondifferentiable_op
line: [48, 47]
also: [unused_variable, disconnected]
variables: [pool/proj/kernel, pool/proj/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
keras = tf.keras


def norm_g(g):
    degrees = tf.reduce_sum(g, axis=1)
    return g / degrees[:, None]


class GCN(keras.layers.Layer):
    def __init__(self, out_dim, act, name=None):
        super().__init__(name=name)
        self.proj = keras.layers.Dense(out_dim, name="proj")
        self.act = act

    def call(self, g, h):
        h = tf.matmul(g, h)
        h = self.proj(h)
        return self.act(h)


def top_k_graph(scores, g, h, k):
    num_nodes = g.shape[0]
    values, idx = tf.math.top_k(scores, max(2, int(k * num_nodes)))
    new_h = tf.gather(h, idx)
    un_g = tf.cast(g > 0, tf.float32)
    un_g = tf.cast(tf.matmul(un_g, un_g) > 0, tf.float32)
    un_g = tf.gather(un_g, idx)
    un_g = tf.gather(un_g, idx, axis=1)
    g = norm_g(un_g)
    return g, new_h, idx


class Pool(keras.layers.Layer):
    def __init__(self, k, name=None):
        super().__init__(name=name)
        self.k = k
        self.proj = keras.layers.Dense(1, name="proj")

    def call(self, g, h):
        weights = tf.squeeze(self.proj(h), -1)
        scores = tf.sigmoid(weights)
        return top_k_graph(scores, g, h, self.k)


class GNet(keras.Model):
    def __init__(self, n_cls):
        super().__init__()
        self.s_gcn = GCN(16, tf.nn.relu, name="s_gcn")
        self.pool = Pool(0.5, name="pool")
        self.bot_gcn = GCN(16, tf.nn.relu, name="bot_gcn")
        self.out = keras.layers.Dense(n_cls, name="classifier")

    def call(self, g, h):
        h = self.s_gcn(g, h)
        g, h, _ = self.pool(g, h)
        h = self.bot_gcn(g, h)
        h = tf.reduce_mean(h, axis=0, keepdims=True)
        return self.out(h)


def random_graph(n, feat):
    a = (np.random.rand(n, n) < 0.3).astype("float32")
    a = np.maximum(a, a.T)
    np.fill_diagonal(a, 1.0)
    g = norm_g(tf.constant(a))
    return g, tf.constant(np.random.randn(n, feat).astype("float32"))


graphs = [random_graph(10, 8) for _ in range(6)]
labels = np.random.randint(0, 2, size=6)
net = GNet(2)
net(*graphs[0])
optimizer = keras.optimizers.Adam(1e-2)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
p_before = net.pool.proj.kernel.numpy().copy()

for epoch in range(2):
    for (g, h), y in zip(graphs, labels):
        with tf.GradientTape() as tape:
            logits = net(g, h)
            loss = loss_fn(tf.constant([y]), logits)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))
    print("epoch", epoch, "loss", float(loss))

for v, gr in zip(net.trainable_variables, grads):
    print(f"{v.path if hasattr(v, 'path') else v.name:28s} grad is None: {gr is None}")
print("projection vector p changed:",
      not np.allclose(p_before, net.pool.proj.kernel.numpy()))
