"""titu1994's Nested-LSTM cell (a custom RNN cell wrapped in keras RNN) trained with model.fit
under TF 2.3 / keras 2.4 (same under Keras 3). build() creates `input_kernel_1` and `kernel_1` with add_weight and,
still inside build(), concatenates them into the depth-0 kernel that call() uses. Under TF 2
build() runs once, eagerly, before fit opens its GradientTape, so the concatenated kernel is a
frozen constant: fit warns "Gradients do not exist for variables [...input_kernel_1, kernel_1]"
and the depth-0 input/recurrent weights never move (deeper kernels train). Fix: keep the two
weights separate in build() and concatenate (or dot them separately) inside call().

---
source: https://github.com/titu1994/Nested-LSTM/issues/5
framework: both
outcome: warning
cause: outside_tape
line: 66
variables: [input_kernel_1, nested_lstm_cell/kernel_1]
also: [disconnected]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras import activations
from tensorflow.keras import initializers
from tensorflow.keras.layers import Layer, RNN, Input, Dense
from tensorflow.keras.models import Model

np.random.seed(0)
tf.random.set_seed(0)


class NestedLSTMCell(Layer):
    def __init__(self, units, depth,
                 activation='tanh',
                 recurrent_activation='sigmoid',
                 cell_activation='linear',
                 use_bias=True,
                 kernel_initializer='glorot_uniform',
                 recurrent_initializer='orthogonal',
                 bias_initializer='zeros',
                 **kwargs):
        super(NestedLSTMCell, self).__init__(**kwargs)
        self.units = units
        self.depth = depth
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.cell_activation = activations.get(cell_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.state_size = tuple([self.units] * (self.depth + 1))

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernels = []
        self.biases = []

        for i in range(self.depth):
            if i == 0:
                input_kernel = self.add_weight(shape=(input_dim, self.units * 4),
                                               name='input_kernel_%d' % (i + 1),
                                               initializer=self.kernel_initializer)
                hidden_kernel = self.add_weight(shape=(self.units, self.units * 4),
                                                name='kernel_%d' % (i + 1),
                                                initializer=self.recurrent_initializer)
                kernel = K.concatenate([input_kernel, hidden_kernel], axis=0)
            else:
                kernel = self.add_weight(shape=(self.units * 2, self.units * 4),
                                         name='kernel_%d' % (i + 1),
                                         initializer=self.recurrent_initializer)
            self.kernels.append(kernel)

        if self.use_bias:
            for i in range(self.depth):
                bias = self.add_weight(shape=(self.units * 4,),
                                       name='bias_%d' % (i + 1),
                                       initializer=self.bias_initializer)
                self.biases.append(bias)
        else:
            self.biases = None

        self.built = True

    def call(self, inputs, states, training=None):
        h_tm1 = states[0]  # previous memory state
        c_tm1 = states[1:self.depth + 1]  # previous carry states

        h, c = self.nested_recurrence(inputs,
                                      hidden_state=h_tm1,
                                      cell_states=c_tm1,
                                      current_depth=0)
        return h, c

    def nested_recurrence(self, inputs, hidden_state, cell_states, current_depth):
        h_state = hidden_state
        c_state = cell_states[current_depth]

        ip = K.concatenate([inputs, h_state], axis=-1)
        gate_inputs = K.dot(ip, self.kernels[current_depth])

        if self.use_bias:
            gate_inputs = K.bias_add(gate_inputs, self.biases[current_depth])

        i = gate_inputs[:, :self.units]  # input gate
        f = gate_inputs[:, self.units * 2: self.units * 3]  # forget gate
        c = gate_inputs[:, self.units: 2 * self.units]  # new input
        o = gate_inputs[:, self.units * 3: self.units * 4]  # output gate

        inner_hidden = c_state * self.recurrent_activation(f)

        if current_depth == 0:
            inner_input = self.recurrent_activation(i) + self.cell_activation(c)
        else:
            inner_input = self.recurrent_activation(i) + self.activation(c)

        if (current_depth == self.depth - 1):
            new_c = inner_hidden + inner_input
            new_cs = [new_c]
        else:
            new_c, new_cs = self.nested_recurrence(inner_input,
                                                   hidden_state=inner_hidden,
                                                   cell_states=cell_states,
                                                   current_depth=current_depth + 1)

        new_h = self.activation(new_c) * self.recurrent_activation(o)
        new_cs = [new_h] + new_cs

        return new_h, new_cs


def NestedLSTM(units, depth, return_sequences=False, name=None):
    return RNN(NestedLSTMCell(units, depth), return_sequences=return_sequences, name=name)


i = Input(shape=(10, 4), name='input_layer')
o = NestedLSTM(8, depth=2, return_sequences=True, name='lstm1')(i)
o = Dense(1)(o)
model = Model(i, o)
model.compile(optimizer='adam', loss='mse')

x = np.random.rand(32, 10, 4).astype('float32')
y = np.random.rand(32, 10, 1).astype('float32')
model.fit(x, y, batch_size=16, epochs=1, verbose=0)
print([v.name for v in model.trainable_variables])
