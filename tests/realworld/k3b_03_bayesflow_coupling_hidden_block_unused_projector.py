"""BayesFlow 2's `CouplingFlow` (Keras 3, `keras.ops`) builds its coupling subnets from
`ConfigurableHiddenBlock`s. Before the fix, the block's `build()` created a trainable
`projector` weight whenever the input width differs from `units`, but `call()` only
uses the projector on the residual path (`if self.residual:`), and the coupling subnets
are built with `residual=False`. The flow trains through an overridden
`compute_loss` (negative log-likelihood of the latent codes, no targets), so the first
hidden block of every coupling holds a projector that never reaches the loss and Keras
warns "Gradients do not exist for variables ['.../configurable_hidden_block/projector',
...]" on each fit. The fix only creates the projector when `residual` is set too. A
single affine coupling with random two-moons-like data stands in for the library's flow.
---
source: https://github.com/bayesflow-org/bayesflow/issues/331
framework: keras3
outcome: warning
cause: unused_variable
static: false
line: [46, 52, 53]
variables: [configurable_hidden_block/projector]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras
from keras import layers


class ConfigurableHiddenBlock(keras.layers.Layer):
    def __init__(self, units=256, activation="mish", kernel_initializer="he_normal",
                 residual=False, dropout=0.05, spectral_normalization=False, **kwargs):
        super().__init__(**kwargs)
        self.activation_fn = keras.activations.get(activation)
        self.residual = residual
        self.dense = layers.Dense(units=units, kernel_initializer=kernel_initializer)
        if spectral_normalization:
            self.dense = layers.SpectralNormalization(self.dense)
        if dropout is not None and dropout > 0.0:
            self.dropout = layers.Dropout(float(dropout))
        else:
            self.dropout = None
        self.units = units

    def call(self, inputs, training=False, **kwargs):
        x = self.dense(inputs, training=training)
        if self.dropout is not None:
            x = self.dropout(x, training=training)
        if self.residual:
            x = x + (inputs if self.projector is None else keras.ops.matmul(inputs, self.projector))
        return self.activation_fn(x)

    def build(self, input_shape):
        self.dense.build(input_shape)
        if input_shape[-1] != self.units:
            self.projector = self.add_weight(
                shape=(input_shape[-1], self.units), initializer="glorot_uniform", trainable=True, name="projector"
            )
        else:
            self.projector = None
        if self.dropout is not None:
            self.dropout.build(self.dense.compute_output_shape(input_shape))

    def compute_output_shape(self, input_shape):
        return self.dense.compute_output_shape(input_shape)


class MLP(keras.layers.Layer):
    def __init__(self, widths=(32, 32), residual=False, dropout=None, **kwargs):
        super().__init__(**kwargs)
        self.res_blocks = [ConfigurableHiddenBlock(units=w, residual=residual, dropout=dropout)
                           for w in widths]

    def call(self, inputs, training=False):
        x = inputs
        for block in self.res_blocks:
            x = block(x, training=training)
        return x


class SingleCoupling(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.network = MLP(widths=(32, 32), residual=False)
        self.output_projector = layers.Dense(2, kernel_initializer="zeros")

    def call(self, x, training=False):
        x1, x2 = x[:, :1], x[:, 1:]
        params = self.output_projector(self.network(x1, training=training))
        scale, shift = keras.ops.split(params, 2, axis=-1)
        scale = keras.ops.tanh(scale)
        z2 = x2 * keras.ops.exp(scale) + shift
        log_det = keras.ops.sum(scale, axis=-1)
        return keras.ops.concatenate([x1, z2], axis=-1), log_det


class CouplingFlow(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.coupling = SingleCoupling()

    def call(self, x, training=False):
        return self.coupling(x, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        z, log_det = y_pred
        log_prob = -0.5 * keras.ops.sum(z ** 2, axis=-1) - np.log(2 * np.pi) + log_det
        return -keras.ops.mean(log_prob)


keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
theta = rng.uniform(0, np.pi, size=(128,))
samples = np.stack([np.cos(theta), np.sin(theta)], axis=1) + 0.1 * rng.normal(size=(128, 2))
flow = CouplingFlow()
flow.compile(optimizer=keras.optimizers.Adam(1e-3))
history = flow.fit(samples.astype("float32"), epochs=2, batch_size=64, verbose=0)
print("nll:", [round(v, 4) for v in history.history["loss"]])
