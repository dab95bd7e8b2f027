"""A user trained the Keras 3 Temporal Kolmogorov-Arnold Transformer (TKAT):
an encoder TKAN (return_state=True) over the past window and a decoder TKAN
started from the encoder states over the n_ahead future steps, followed by a
Dense forecast head. With the torch backend Keras warned "Gradients do not
exist for variables ['sub_tkan_kernel'] when minimizing the loss". In TKANCell the
`sub_tkan_kernel` weight is only used to compute the *new sub-layer states*
(`new_sub_state = h_coef * sub_output + sub_state * x_coef`), which influence
the output only through the next time step. With a one-step horizon
(n_ahead=1) the decoder runs a single step and its returned states are thrown
away (return_state=False), so the decoder's `sub_tkan_kernel` never reaches
the loss (the encoder's does, via the states handed to the decoder). On the
TF backend fit() stays silent (the RNN while-loop) and the weight simply never
moves; an eager tape shows its gradient is None. With n_ahead=3 it trains.
Fix: skip/freeze that weight when the cell runs a single step, or use the
decoder's returned states.
---
source: https://github.com/remigenet/TKAT/issues/8
framework: both
outcome: gradient_none
cause: unused_variable
static: false
also: [disconnected, zero_gradient]
line: [57, 82, 107]
xfail: "the decoder cell's sub_tkan_kernel feeds only its new sub-states, which the RNN drops after its single step (return_state=False at line 106); the cell's code also runs for the encoder, whose states reach the loss, so every line on the way is live: gradtrace shows the read at line 80 and says its result comes back with used values, instead of naming the dropped final state"
variables: [decoder/tkan/tkan_cell/sub_tkan_kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow import keras
from tensorflow.keras.layers import Layer, Dense, Input, Concatenate, Flatten, Lambda, RNN


class TKANCell(Layer):
    def __init__(self, units, sub_kan_configs=("relu", "tanh"), sub_kan_output_dim=4,
                 sub_kan_input_dim=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.sub_kan_configs = sub_kan_configs
        self.sub_kan_output_dim = sub_kan_output_dim
        self.sub_kan_input_dim = sub_kan_input_dim
        self.state_size = [units, units] + [sub_kan_output_dim] * len(sub_kan_configs)
        self.output_size = units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(shape=(input_dim, self.units * 3), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units * 3), name="recurrent_kernel")
        self.bias = self.add_weight(shape=(self.units * 3,), name="bias", initializer="zeros")
        self.tkan_sub_layers = []
        for config in self.sub_kan_configs:
            layer = Dense(self.sub_kan_output_dim, activation=config)
            layer.build((None, self.sub_kan_input_dim))
            self.tkan_sub_layers.append(layer)
        n_sub = len(self.tkan_sub_layers)
        self.sub_tkan_kernel = self.add_weight(shape=(n_sub, self.sub_kan_output_dim * 2),
                                               name="sub_tkan_kernel")
        self.sub_tkan_recurrent_kernel_inputs = self.add_weight(
            shape=(n_sub, input_dim, self.sub_kan_input_dim), name="sub_tkan_recurrent_kernel_inputs")
        self.sub_tkan_recurrent_kernel_states = self.add_weight(
            shape=(n_sub, self.sub_kan_output_dim, self.sub_kan_input_dim),
            name="sub_tkan_recurrent_kernel_states")
        self.aggregated_weight = self.add_weight(
            shape=(n_sub * self.sub_kan_output_dim, self.units), name="aggregated_weight")
        self.aggregated_bias = self.add_weight(shape=(self.units,), name="aggregated_bias", initializer="zeros")
        self.built = True

    def call(self, inputs, states, training=None):
        h_tm1, c_tm1 = states[0], states[1]
        sub_states = states[2:]
        gates = tf.matmul(inputs, self.kernel) + tf.matmul(h_tm1, self.recurrent_kernel) + self.bias
        i, f, c = tf.split(tf.sigmoid(gates), 3, axis=-1)
        c = f * c_tm1 + i * tf.tanh(c)
        sub_outputs, new_sub_states = [], []
        for idx, (sub_layer, sub_state) in enumerate(zip(self.tkan_sub_layers, sub_states)):
            sub_kernel_x = self.sub_tkan_recurrent_kernel_inputs[idx]
            sub_kernel_h = self.sub_tkan_recurrent_kernel_states[idx]
            agg_input = inputs @ sub_kernel_x + sub_state @ sub_kernel_h
            sub_output = sub_layer(agg_input)
            sub_recurrent_kernel_h, sub_recurrent_kernel_x = tf.split(self.sub_tkan_kernel[idx], 2, axis=0)
            new_sub_state = sub_recurrent_kernel_h * sub_output + sub_state * sub_recurrent_kernel_x
            sub_outputs.append(sub_output)
            new_sub_states.append(new_sub_state)
        aggregated_sub_output = tf.concat(sub_outputs, axis=-1)
        o = tf.sigmoid(tf.matmul(aggregated_sub_output, self.aggregated_weight) + self.aggregated_bias)
        h = o * tf.tanh(c)
        return h, [h, c] + new_sub_states


class RecurrentLayer(Layer):
    def __init__(self, num_units, return_state=False, **kwargs):
        super().__init__(**kwargs)
        self.layer = RNN(TKANCell(num_units, name="tkan_cell"), return_sequences=True,
                         return_state=return_state, name="tkan")

    def call(self, inputs, initial_state=None):
        return self.layer(inputs, initial_state=initial_state)


def TKAT(sequence_length, num_features, num_hidden, n_ahead):
    inputs = Input(shape=(sequence_length + n_ahead, num_features))
    embedded = Dense(num_hidden, name="embedding_layer")(inputs)
    past_features = Lambda(lambda x: x[:, :sequence_length, :], name="past_observed_and_known")(embedded)
    future_features = Lambda(lambda x: x[:, sequence_length:, :], name="future_known")(embedded)
    encode_out, *encode_states = RecurrentLayer(num_hidden, return_state=True, name="encoder")(past_features)
    decode_out = RecurrentLayer(num_hidden, return_state=False, name="decoder")(future_features, initial_state=encode_states)
    history = Concatenate(axis=1)([encode_out, decode_out])
    flattened_output = Flatten()(history)
    dense_output = Dense(n_ahead, name="forecast")(flattened_output)
    return keras.Model(inputs=inputs, outputs=dense_output)


sequence_length, num_features, num_hidden, n_ahead = 6, 3, 8, 1
model = TKAT(sequence_length, num_features, num_hidden, n_ahead)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mean_squared_error")
X = np.random.rand(64, sequence_length + n_ahead, num_features).astype("float32")
y = np.random.rand(64, n_ahead).astype("float32")
dec_kernel = [v for v in model.trainable_variables if "sub_tkan_kernel" in v.name][-1]
before = np.array(dec_kernel.numpy())
model.fit(X, y, batch_size=16, epochs=1, verbose=0)
print("decoder sub_tkan_kernel changed:", not np.allclose(before, dec_kernel.numpy()))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(model(X[:16], training=True) - y[:16]))
g_enc, g_dec = tape.gradient(loss, [v for v in model.trainable_variables if "sub_tkan_kernel" in v.name])
print("encoder sub_tkan_kernel |grad|:", float(tf.reduce_sum(tf.abs(g_enc))),
      " decoder sub_tkan_kernel grad:", None if g_dec is None else float(tf.reduce_sum(tf.abs(g_dec))))
