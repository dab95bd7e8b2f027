"""A temporal convolutional network written as custom Keras layers in the style of
keras-tcn: each ResidualBlock returns [residual_output, skip_output], where the residual
output adds a 1x1 `matching_conv1D` (created because nb_filters != input channels) to the
convolution branch, and TCN.call sums the skip outputs when use_skip_connections=True.
With one stack and a single dilation there is one block, so its residual output -- the
only consumer of matching_conv1D -- is computed and then dropped; only the skip outputs
reach GlobalMaxPooling1D and the Dense head. fit() (SparseCategoricalCrossentropy) trains
everything else and warns "Gradients do not exist for variables ['kernel', 'bias']" for
the matching convolution. The missing connection is the final sum of skip outputs.
---
source: https://github.com/philipperemy/keras-tcn/issues/263
framework: both
outcome: warning
cause: unused_variable
static: false
line: [65, 66, 91, 94]
variables: [matching_conv1D/kernel, matching_conv1D/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import (Layer, Conv1D, Activation, Dropout, Lambda,
                                     GlobalMaxPooling1D, Dense, Input)
from tensorflow.keras.models import Sequential


class ResidualBlock(Layer):
    def __init__(self, dilation_rate, nb_filters, kernel_size, padding,
                 activation='relu', dropout_rate=0.0, **kwargs):
        super().__init__(**kwargs)
        self.dilation_rate = dilation_rate
        self.nb_filters = nb_filters
        self.kernel_size = kernel_size
        self.padding = padding
        self.activation = activation
        self.dropout_rate = dropout_rate

    def build(self, input_shape):
        self.conv_layers = []
        for k in range(2):
            self.conv_layers.append(Conv1D(filters=self.nb_filters,
                                           kernel_size=self.kernel_size,
                                           dilation_rate=self.dilation_rate,
                                           padding=self.padding,
                                           name='conv1D_{}'.format(k)))
        self.act_layers = [Activation(self.activation) for _ in range(2)]
        self.drop_layers = [Dropout(self.dropout_rate) for _ in range(2)]

        if self.nb_filters != input_shape[-1]:
            # 1x1 conv to match the shapes (channel dimension).
            self.shape_match_conv = Conv1D(filters=self.nb_filters, kernel_size=1,
                                           padding='same', name='matching_conv1D')
        else:
            self.shape_match_conv = Lambda(lambda x: x, name='matching_identity')
        self.final_activation = Activation(self.activation)
        super().build(input_shape)

    def call(self, inputs, training=None):
        x1 = inputs
        for conv, act, drop in zip(self.conv_layers, self.act_layers, self.drop_layers):
            x1 = conv(x1)
            x1 = act(x1)
            x1 = drop(x1, training=training)
        x2 = self.shape_match_conv(inputs)
        x1_x2 = self.final_activation(x2 + x1)
        res_x = x1_x2
        return [res_x, x1]


class TCN(Layer):
    def __init__(self, nb_filters=64, kernel_size=3, nb_stacks=1, dilations=(1, 2, 4),
                 padding='causal', use_skip_connections=True, dropout_rate=0.0,
                 return_sequences=False, activation='relu', **kwargs):
        super().__init__(**kwargs)
        self.residual_blocks = []
        for s in range(nb_stacks):
            for d in dilations:
                self.residual_blocks.append(
                    ResidualBlock(dilation_rate=d, nb_filters=nb_filters,
                                  kernel_size=kernel_size, padding=padding,
                                  activation=activation, dropout_rate=dropout_rate,
                                  name='residual_block_{}'.format(len(self.residual_blocks))))
        self.use_skip_connections = use_skip_connections
        self.return_sequences = return_sequences

    def call(self, inputs, training=None):
        x = inputs
        self.skip_connections = []
        for res_block in self.residual_blocks:
            x, skip_out = res_block(x, training=training)
            self.skip_connections.append(skip_out)
        if self.use_skip_connections:
            x = tf.add_n(self.skip_connections)
        if not self.return_sequences:
            x = x[:, -1, :]
        return x


tf.keras.utils.set_random_seed(0)
Modell = Sequential()
# TCN
Modell.add(Input(shape=(None, 4)))
Modell.add(TCN(nb_filters=2, kernel_size=91, nb_stacks=1, dilations=[1], padding='causal',
               use_skip_connections=True, dropout_rate=0.0, return_sequences=True,
               activation='relu'))
Modell.add(GlobalMaxPooling1D())
# DENSE
Modell.add(Dense(4, activation='relu'))
Modell.add(Dense(1, activation='relu'))
Modell.add(Dense(4, activation='softmax'))
Modell.compile(optimizer=keras.optimizers.Adam(learning_rate=0.006712461356073618),
               loss='SparseCategoricalCrossentropy',
               metrics=['sparse_categorical_accuracy'])
batch = np.random.randn(8, 12, 4).astype("float32")
labels = np.random.randint(0, 4, size=(8,))
Modell.fit(batch, labels, epochs=2, verbose=2)
