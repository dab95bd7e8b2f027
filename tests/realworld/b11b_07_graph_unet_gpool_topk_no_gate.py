"""Graph U-Net style graph classifier in TensorFlow/Keras. The gPool layer
scores every node with a trainable projection vector p (y = X p / ||p||),
keeps the k best nodes with tf.math.top_k and gathers their features and the
matching rows/columns of the adjacency matrix. The user implemented gPool
without the paper's gate step (X' = X[idx] * sigmoid(y[idx])) and saw that the
projection vector never received a gradient ("Gradients do not exist for
variables"). The scores are only used through top_k's integer *indices*, which
have no gradient, so p is disconnected from the loss; the rest of the network
trains. The Graph-U-Nets author confirmed the ungated version leaves p
untrainable. Fix: multiply the gathered features by sigmoid(top-k values).
---
source: https://github.com/bknyaz/graph_nn/issues/2
framework: both
outcome: warning
cause: nondifferentiable_op
line: [60, 61]
also: [disconnected]
variables: [gpool/projection]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
keras = tf.keras

N_NODES, N_FEAT, N_CLASSES = 12, 6, 3


class GCN(keras.layers.Layer):
    """H' = act(A_hat H W) with a dense, batched adjacency."""

    def __init__(self, units, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(units, use_bias=False, name=f"{self.name}_w")
        self.act = keras.activations.get(activation)

    def call(self, inputs):
        x, a = inputs
        a_hat = a + tf.eye(tf.shape(a)[-1], batch_shape=[tf.shape(a)[0]])
        deg = tf.reduce_sum(a_hat, -1, keepdims=True)
        return self.act(tf.matmul(a_hat / deg, self.dense(x)))


class GPool(keras.layers.Layer):
    """gPool from Graph U-Nets (Gao & Ji, 2019)."""

    def __init__(self, ratio=0.5, **kwargs):
        super().__init__(**kwargs)
        self.ratio = ratio

    def build(self, input_shape):
        feat_dim = input_shape[0][-1]
        self.p = self.add_weight(name="projection", shape=(feat_dim, 1),
                                 initializer="glorot_uniform", trainable=True)

    def call(self, inputs):
        x, a = inputs
        k = int(self.ratio * x.shape[1])
        y = tf.squeeze(tf.matmul(x, self.p), -1) / tf.norm(self.p)     # (B, N) node scores
        top_vals, idx = tf.math.top_k(y, k=k)                         # (B, k)
        new_x = tf.gather(x, idx, batch_dims=1)                        # no gate
        new_a = tf.gather(tf.gather(a, idx, batch_dims=1), idx, axis=2, batch_dims=1)
        return new_x, new_a


def build_model():
    x_in = keras.Input((N_NODES, N_FEAT), name="x")
    a_in = keras.Input((N_NODES, N_NODES), name="a")
    h = GCN(16, name="gcn1")([x_in, a_in])
    h, a = GPool(0.5, name="gpool")([h, a_in])
    h = GCN(16, name="gcn2")([h, a])
    h = keras.layers.GlobalAveragePooling1D(name="readout")(h)
    out = keras.layers.Dense(N_CLASSES, activation="softmax", name="classifier")(h)
    return keras.Model([x_in, a_in], out)


rng = np.random.default_rng(0)
X = rng.normal(size=(64, N_NODES, N_FEAT)).astype("float32")
A = (rng.random((64, N_NODES, N_NODES)) < 0.3).astype("float32")
A = np.maximum(A, A.transpose(0, 2, 1))
Y = rng.integers(0, N_CLASSES, size=(64,))

model = build_model()
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
p_before = model.get_layer("gpool").p.numpy().copy()
model.fit([X, A], Y, batch_size=16, epochs=2, verbose=2)
print("projection vector changed:", not np.allclose(p_before, model.get_layer("gpool").p.numpy()))
