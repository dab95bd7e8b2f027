"""A user training a Wasserstein GAN on graphs (Spektral message-passing and
pooling layers in both generator and critic) needed the gradient penalty with
respect to both critic inputs: node features `x` and the sparse adjacency `a`.
They called `tape.watch(x)` and `tape.watch(a.values)`, ran the critic and
asked for the gradient with respect to `[x, a.values]`: the gradient for the
node features came back, the one for the adjacency values was None. The cause
is the message-passing layer: it only reads `a.indices` (which node sends to
which) to gather and scatter-sum the messages, and never reads `a.values`, so
the watched adjacency values are not connected to the critic output at all.
With a binary adjacency that is by design; to get a penalty on the edges the
layer must use the edge weights (e.g. multiply each message by `a.values`, or
use `tf.sparse.sparse_dense_matmul(a, x)`), otherwise the penalty should be
taken with respect to the node features only.
---
source: https://github.com/danielegrattarola/spektral/issues/421
framework: both
outcome: gradient_none
cause: disconnected
also: [unused_variable]
line: [47]
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras

N_NODES, N_FEAT = 8, 4


class MessagePassingConv(keras.layers.Layer):
    """Message passing in the style of Spektral's GeneralConv (single mode)."""

    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(channels, activation="relu")

    def message(self, x, sources):
        return tf.gather(x, sources)

    def aggregate(self, messages, targets, n_nodes):
        return tf.math.unsorted_segment_sum(messages, targets, n_nodes)

    def propagate(self, x, a):
        targets, sources = a.indices[:, 1], a.indices[:, 0]
        messages = self.message(x, sources)
        return self.aggregate(messages, targets, tf.shape(x)[0])

    def call(self, x, a):
        return self.propagate(self.dense(x), a)


class GraphCritic(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = MessagePassingConv(16, name="conv1")
        self.conv2 = MessagePassingConv(16, name="conv2")
        self.out = keras.layers.Dense(1, name="score")

    def call(self, x, a):
        h = self.conv1(x, a)
        h = self.conv2(h, a)
        return self.out(tf.reduce_mean(h, axis=0, keepdims=True))


def gradient_penalty(critic, x, a):
    with tf.GradientTape() as tape:
        tape.watch(x)
        tape.watch(a.values)
        score = critic(x, a)
    gradient_x, gradient_a = tape.gradient(score, [x, a.values])
    return gradient_x, gradient_a


def random_graph():
    rng = np.random.default_rng(0)
    dense = (rng.random((N_NODES, N_NODES)) > 0.6).astype("float32")
    idx = np.argwhere(dense > 0).astype("int64")
    a = tf.SparseTensor(idx, tf.constant(dense[dense > 0]), (N_NODES, N_NODES))
    x = tf.constant(rng.normal(size=(N_NODES, N_FEAT)).astype("float32"))
    return x, a


def main():
    x, a = random_graph()
    critic = GraphCritic()
    gradient_x, gradient_a = gradient_penalty(critic, x, a)
    print("gradient w.r.t. x:", None if gradient_x is None else gradient_x.shape)
    print("gradient w.r.t. a.values:", gradient_a)


if __name__ == "__main__":
    main()
