"""Memory-augmented layer: controller sub-layers compute write weights and erase/add vectors, the layer writes them into its key_memory and long_memory buffers with .assign() and then reads the buffers back; every controller variable loses its gradient, so the optimizer warns "Gradients do not exist" and only the output head trains.

---
source: https://github.com/tensorflow/tensorflow/issues/54568
framework: both
outcome: warning
cause: variable_assign
line: [54, 55]
variables: [write_controller, key_erase, key_add, long_erase, long_add]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf


class Controller(tf.keras.layers.Layer):
    def __init__(self, controller_layers, hidden_act="relu", output_dims=8, output_act=None, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [tf.keras.layers.Dense(u, activation=hidden_act, name=f"hidden_layer_{i}")
                       for i, u in enumerate(controller_layers)]
        self.out = tf.keras.layers.Dense(output_dims, activation=output_act, name="output_layer")

    def call(self, x):
        for layer in self.hidden:
            x = layer(x)
        return self.out(x)


class MemoryLayer(tf.keras.layers.Layer):
    def __init__(self, controller_layers, n_clusters=10, key_dims=8, long_dims=8, name="memory_layer", **kwargs):
        super().__init__(name=name, **kwargs)
        self.n_clusters, self.key_dims, self.long_dims = n_clusters, key_dims, long_dims
        self.write_controller = Controller(controller_layers, output_dims=n_clusters, name=name + "_write_controller")
        self.key_erase_layer = Controller([], output_dims=key_dims, output_act="sigmoid", name=name + "_key_erase_layer")
        self.key_add_layer = Controller([], output_dims=key_dims, output_act="tanh", name=name + "_key_add_layer")
        self.long_erase_layer = Controller([], output_dims=long_dims, output_act="sigmoid", name=name + "_long_erase_layer")
        self.long_add_layer = Controller([], output_dims=long_dims, output_act="tanh", name=name + "_long_add_layer")

    def build(self, input_shape):
        self.key_memory = self.add_weight(name="key_memory", shape=(self.n_clusters, self.key_dims),
                                          initializer="random_normal", trainable=False)
        self.long_memory = self.add_weight(name="long_memory", shape=(self.n_clusters, self.long_dims),
                                           initializer="random_normal", trainable=False)

    def call(self, inputs):
        write_w = tf.nn.softmax(self.write_controller(inputs), axis=-1)            # (batch, n_clusters)
        w = tf.reduce_mean(write_w, axis=0)[:, None]                               # (n_clusters, 1)
        key_erase = tf.reduce_mean(self.key_erase_layer(inputs), axis=0)[None, :]
        key_add = tf.reduce_mean(self.key_add_layer(inputs), axis=0)[None, :]
        long_erase = tf.reduce_mean(self.long_erase_layer(inputs), axis=0)[None, :]
        long_add = tf.reduce_mean(self.long_add_layer(inputs), axis=0)[None, :]
        # write: erase then add, stored back into the memory buffers
        self.key_memory.assign(self.key_memory * (1.0 - w * key_erase) + w * key_add)
        self.long_memory.assign(self.long_memory * (1.0 - w * long_erase) + w * long_add)
        # read: attend over the (updated) key memory with the raw query
        query = inputs[:, :self.key_dims]
        read_w = tf.nn.softmax(tf.matmul(query, self.key_memory, transpose_b=True) / 0.1, axis=-1)
        read = tf.matmul(read_w, self.long_memory)
        return tf.concat([inputs, read], axis=-1)


memory = MemoryLayer(controller_layers=[16])
head = tf.keras.layers.Dense(1, name="head")
inputs = tf.keras.Input((12,))
model = tf.keras.Model(inputs, head(memory(inputs)))
optimizer = tf.keras.optimizers.Adam(1e-3)
loss_fn = tf.keras.losses.MeanSquaredError()

x = np.random.rand(32, 12).astype(np.float32)
y = np.random.rand(32, 1).astype(np.float32)
for step in range(2):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print("step", step, "loss", float(loss))
