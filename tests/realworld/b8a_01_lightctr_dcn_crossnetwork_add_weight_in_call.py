"""LightCTR's Deep & Cross Network: the `CrossNetwork` block is a `tf.keras.Model`
subclass with no `build()`; it calls `self.add_weight(...)` for every cross kernel and
bias *inside `call()`*, once per cross layer and per call. The issue reports the
"Gradients do not exist for variables" warning for these models (AutoInt, FiBiNet, DCN
all define their parameter matrices in `call`). Each call makes fresh variables, so the
weights the optimizer tracks are never the ones used by the next forward pass. On
today's Kerases the construction fails loudly: Keras 3 refuses to add state to an
already-built layer when the functional graph is traced, and tf-keras's `fit` raises
"tf.function only supports singleton tf.Variables created on the first call". Fix:
create the cross kernels and biases once, in `build()` (one per cross layer), and only
use them in `call()`.
---
source: https://github.com/Hirosora/LightCTR/issues/4
framework: both
outcome: error
cause: untracked_variable
line: [60, 64, 73]
variables: [cross_network]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

np.random.seed(0)
tf.random.set_seed(0)


class DNN(tf.keras.Model):
    """Deep Neural Network"""

    def __init__(self, units, activations=None, **kwargs):
        super(DNN, self).__init__(**kwargs)
        self.mlp = tf.keras.Sequential()
        for i in range(len(units)):
            self.mlp.add(tf.keras.layers.Dense(units=units[i], activation=activations[i]))

    def call(self, inputs, **kwargs):
        output = self.mlp(inputs)
        return output


class CrossNetwork(tf.keras.Model):

    def __init__(self,
                 kernel_initializer='glorot_uniform',
                 kernel_regularizer=tf.keras.regularizers.l2(1e-5),
                 **kwargs):

        super(CrossNetwork, self).__init__(**kwargs)

        self.kernel_initializer = kernel_initializer
        self.kernel_regularizer = kernel_regularizer

    def call(self, inputs, layers_num=3, require_logit=True, **kwargs):

        x0 = tf.expand_dims(tf.concat(inputs, axis=1), axis=-1)
        x = tf.transpose(x0, [0, 2, 1])

        for i in range(layers_num):
            kernel = self.add_weight(shape=(x0.shape[1], 1),
                                     initializer=self.kernel_initializer,
                                     regularizer=self.kernel_regularizer,
                                     trainable=True)
            bias = self.add_weight(shape=(x0.shape[1], 1),
                                   initializer=self.kernel_initializer,
                                   regularizer=self.kernel_regularizer,
                                   trainable=True)
            x = tf.matmul(tf.matmul(x0, x), kernel) + bias + tf.transpose(x, [0, 2, 1])
            x = tf.transpose(x, [0, 2, 1])

        x = tf.squeeze(x, axis=1)
        if require_logit:
            kernel = self.add_weight(shape=(x0.shape[1], 1),
                                     initializer=self.kernel_initializer,
                                     regularizer=self.kernel_regularizer,
                                     trainable=True)
            x = tf.matmul(x, kernel)

        return x


def DCN(slots, vocab=20, embedding_dim=4, cross_layers_num=3,
        dnn_hidden_units=(16, 8, 1), dnn_activations=('relu', 'relu', None)):
    inputs = [tf.keras.Input(shape=(1,), dtype='int32', name=s) for s in slots]
    embedded_dict = {
        s: tf.keras.layers.Flatten()(tf.keras.layers.Embedding(vocab, embedding_dim, name='emb_' + s)(inp))
        for s, inp in zip(slots, inputs)
    }

    # Deep Part
    deep_inputs = tf.keras.layers.Concatenate(axis=1)(list(embedded_dict.values()))
    deep_output = DNN(units=dnn_hidden_units, activations=dnn_activations)(deep_inputs)

    # Cross Part
    cross_inputs = list(embedded_dict.values())
    cross_output = CrossNetwork()(cross_inputs, layers_num=cross_layers_num, require_logit=True)

    output = tf.keras.layers.Activation('sigmoid')(deep_output + cross_output)
    return tf.keras.Model(inputs=inputs, outputs=output)


slots = ['user', 'item', 'site']
model = DCN(slots)
model.compile(optimizer='adam', loss='binary_crossentropy')
x = {s: np.random.randint(0, 20, size=(64, 1)).astype('int32') for s in slots}
y = (np.random.rand(64, 1) > 0.5).astype('float32')
model.fit(x, y, epochs=2, batch_size=32, verbose=2)
