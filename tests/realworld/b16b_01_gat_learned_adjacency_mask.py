"""A user built a spatio-temporal graph model whose adjacency matrix is itself
learned: a few bias-free Dense layers turn an initial adjacency into a
"learnable" one, which is then fed to a graph-attention convolution (Spektral's
GATConv in dense mode, re-implemented here). Training with `model.fit` printed
"Gradients do not exist for variables [...dense kernels...]" for exactly the
Dense layers that produce the adjacency, and those weights never changed; with
a GCN layer instead of GAT the warning disappeared. The cause is inside the
attention layer: it only uses the adjacency to build an additive mask through
a comparison (`a == 0`), i.e. `tf.where` on a boolean condition. A comparison
has no gradient, so the adjacency values never reach the loss and the layers
that compute them are cut off. The fix is to let the adjacency values enter
the computation differentiably (e.g. add `log(a + eps)` to the attention
logits or multiply the attention coefficients by `a`), or to use a
convolution that multiplies by the adjacency, such as GCNConv.
---
source: https://github.com/danielegrattarola/spektral/issues/395
framework: keras3
outcome: warning
cause: nondifferentiable_op
line: [72]
variables: [adjacency_proj_1/kernel, adjacency_proj_2/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras

N_NODES, N_FEAT, N_CLASSES = 6, 4, 3


class LearnableAdjacency(keras.layers.Layer):
    """Refines a prior adjacency with two bias-free Dense layers."""

    def __init__(self, n_nodes, **kwargs):
        super().__init__(**kwargs)
        self.proj1 = keras.layers.Dense(n_nodes, use_bias=False, name="adjacency_proj_1")
        self.proj2 = keras.layers.Dense(n_nodes, use_bias=False, name="adjacency_proj_2")

    def call(self, a_prior):
        a = tf.nn.relu(self.proj1(a_prior))
        return tf.sigmoid(self.proj2(a))


class DenseGATConv(keras.layers.Layer):
    """Graph attention in dense mode, following Spektral's `_call_dense`."""

    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels

    def build(self, input_shape):
        x_shape = input_shape[0]
        f_in = int(x_shape[-1])
        self.kernel = self.add_weight(name="kernel", shape=(f_in, self.channels),
                                      initializer="glorot_uniform")
        self.attn_self = self.add_weight(name="attn_self", shape=(self.channels, 1),
                                         initializer="glorot_uniform")
        self.attn_neigh = self.add_weight(name="attn_neigh", shape=(self.channels, 1),
                                          initializer="glorot_uniform")
        super().build(input_shape)

    def call(self, inputs):
        x, a = inputs
        a = tf.linalg.set_diag(a, tf.ones(tf.shape(a)[:-1], a.dtype))  # self loops
        h = tf.matmul(x, self.kernel)                                   # (B, N, C)
        s_self = tf.matmul(h, self.attn_self)                           # (B, N, 1)
        s_neigh = tf.matmul(h, self.attn_neigh)                         # (B, N, 1)
        logits = tf.nn.leaky_relu(s_self + tf.transpose(s_neigh, (0, 2, 1)), alpha=0.2)
        # the adjacency only decides which entries are masked out
        mask = tf.where(a == 0.0, -10e9, 0.0)
        logits += tf.cast(mask, logits.dtype)
        coef = tf.nn.softmax(logits, axis=-1)
        return tf.matmul(coef, h)


class LearnedGraphClassifier(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.adjacency = LearnableAdjacency(N_NODES, name="learnable_adjacency")
        self.gat = DenseGATConv(8, name="gat_conv")
        self.pool = keras.layers.GlobalAveragePooling1D()
        self.head = keras.layers.Dense(N_CLASSES, name="head")

    def call(self, inputs):
        x, a_prior = inputs
        a = self.adjacency(a_prior)
        h = self.gat([x, a])
        return self.head(self.pool(h))


def make_data(n_graphs=32):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n_graphs, N_NODES, N_FEAT)).astype("float32")
    a = (rng.random((n_graphs, N_NODES, N_NODES)) > 0.5).astype("float32")
    y = rng.integers(0, N_CLASSES, size=(n_graphs,))
    return x, a, y


def main():
    x, a, y = make_data()
    model = LearnedGraphClassifier()
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model((x[:1], a[:1]))
    before = model.adjacency.proj1.kernel.numpy().copy()
    model.fit((x, a), y, epochs=2, batch_size=16, verbose=0)
    after = model.adjacency.proj1.kernel.numpy()
    print("adjacency_proj_1 kernel changed:", not np.allclose(before, after))


if __name__ == "__main__":
    main()
