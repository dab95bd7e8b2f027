"""A recommender with an external key/value memory (NTM / DKVMN style): a
MemoryLayer keeps `key_memory` and `long_memory` slot matrices, a write
controller produces erase and add vectors, and the memory is updated as
M <- M * (1 - w*erase) + w*add. The user first wrote the update with `=`
(creating new tensors) and then switched to `self.key_memory.assign(...)` /
`self.long_memory.assign(...)` so that the memory persists between batches.
After that change Keras warned "Gradients do not exist for variables
['memory_layer_write_controller/...', 'memory_layer_key_erase_layer/...',
'memory_layer_key_add_layer/...', 'memory_layer_long_erase_layer/...',
'memory_layer_long_add_layer/...'] when minimizing the loss": the read that
feeds the prediction happens from the variables after the assignment, and an
assign is not differentiable, so everything that only feeds the write gets no
gradient; only the read/query path trains. Fix: compute the updated memory as a
tensor, read from that tensor for the loss, and assign it (stop-gradient
state) only for the next batch.
---
source: https://github.com/keras-team/keras/issues/16128
framework: both
outcome: warning
cause: variable_assign
line: [79, 80, 83]
variables: [memory_layer_write_controller, memory_layer_key_erase_layer, memory_layer_key_add_layer, memory_layer_long_erase_layer, memory_layer_long_add_layer]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
keras = tf.keras


def mlp(units, hidden_act, output_act, name):
    layers = [keras.layers.Dense(u, activation=hidden_act, name=f"{name}_hidden_layer_{i}")
              for i, u in enumerate(units[:-1])]
    layers.append(keras.layers.Dense(units[-1], activation=output_act,
                                     name=f"{name}_hidden_layer_{len(units) - 1}"))
    return keras.Sequential(layers, name=name)


class MemoryLayer(keras.layers.Layer):
    def __init__(self, controller_layers=(16, 8), controller_hidden_act="relu",
                 controller_output_act=None, n_clusters=10, key_dims=8, long_dims=8,
                 temperature=0.1, alpha=0.1, name="memory_layer", **kwargs):
        super().__init__(name=name, trainable=True, **kwargs)
        self.n_clusters, self.key_dims, self.long_dims = n_clusters, key_dims, long_dims
        self.temperature, self.alpha = temperature, alpha
        self.write_controller = mlp(list(controller_layers), controller_hidden_act,
                                    controller_output_act, name=f"{name}_write_controller")
        self.read_query = mlp([key_dims], None, None, name=f"{name}_read_query")
        self.key_erase_layer = mlp([key_dims], None, "sigmoid", name=f"{name}_key_erase_layer")
        self.key_add_layer = mlp([key_dims], None, "tanh", name=f"{name}_key_add_layer")
        self.long_erase_layer = mlp([long_dims], None, "sigmoid", name=f"{name}_long_erase_layer")
        self.long_add_layer = mlp([long_dims], None, "tanh", name=f"{name}_long_add_layer")

    def build(self, input_shape):
        self.key_memory = self.add_weight(
            name="key_memory", shape=(self.n_clusters, self.key_dims),
            initializer="glorot_uniform", trainable=False)
        self.long_memory = self.add_weight(
            name="long_memory", shape=(self.n_clusters, self.long_dims),
            initializer="glorot_uniform", trainable=False)

    def _address(self, query):
        sim = tf.matmul(tf.math.l2_normalize(query, -1),
                        tf.math.l2_normalize(self.key_memory, -1), transpose_b=True)
        return tf.nn.softmax(sim / self.temperature, axis=-1)           # (B, n_clusters)

    def call(self, inputs):
        # ---- write: controller -> erase / add vectors -> memory update ----
        h = self.write_controller(inputs)
        w = self._address(self.read_query(inputs))
        w_mean = tf.reduce_mean(w, axis=0)[:, None]                      # (n_clusters, 1)
        key_erase = tf.reduce_mean(self.key_erase_layer(h), 0)[None, :]
        key_add = tf.reduce_mean(self.key_add_layer(h), 0)[None, :]
        long_erase = tf.reduce_mean(self.long_erase_layer(h), 0)[None, :]
        long_add = tf.reduce_mean(self.long_add_layer(h), 0)[None, :]
        new_key = self.key_memory * (1 - self.alpha * w_mean * key_erase) + self.alpha * w_mean * key_add
        new_long = self.long_memory * (1 - self.alpha * w_mean * long_erase) + self.alpha * w_mean * long_add
        # was: self.key_memory = new_key ; self.long_memory = new_long
        self.key_memory.assign(new_key)
        self.long_memory.assign(new_long)
        # ---- read from the (updated) memory ----
        r = self._address(self.read_query(inputs))
        return tf.concat([tf.matmul(r, self.key_memory), tf.matmul(r, self.long_memory)], -1)


inputs = keras.Input((12,), name="user_features")
mem = MemoryLayer()(inputs)
out = keras.layers.Dense(1, activation="sigmoid", name="ctr_head")(mem)
model = keras.Model(inputs, out)
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy")

x = np.random.rand(64, 12).astype("float32")
y = np.random.randint(0, 2, size=(64, 1)).astype("float32")
before = [v.numpy().copy() for v in model.trainable_variables]
model.fit(x, y, batch_size=16, epochs=1, verbose=2)
for v, b in zip(model.trainable_variables, before):
    changed = not np.allclose(b, v.numpy())
    print(f"{getattr(v, 'path', v.name):60s} changed={changed}")
