"""Bayesian neural network regression with two `DenseVariational` layers (posterior_mean_field
posterior, prior_trainable prior), trained with a hand-written GradientTape loop instead of
`fit` "to have access to the gradients". Each DenseVariational layer puts its KL divergence
(posterior against the trainable prior) into `self.add_loss(...)`; the loop minimises only
`negloglik(y, yhat)` and never adds `sum(model1.losses)`. The trainable prior's `constant`
variables take part in nothing but that KL term, so they get no gradient: TensorFlow warns
"Gradients do not exist for variables ['.../dense_v1/constant:0', '.../dense_v2/constant:0']",
the same model trains fully with `fit` (which adds the layer losses). Fix: `loss =
tf.reduce_mean(negloglik(y, yhat)) + tf.add_n(model1.losses)`. The report used
tfp.layers.DenseVariational/VariableLayer; tensorflow_probability is not installed here, so a
minimal stand-in with the same structure (VariableLayer holding `constant`, analytic KL via
add_loss, Normal output) is written out below.

---
source: https://github.com/tensorflow/probability/issues/1560
framework: both
outcome: warning
cause: unused_variable
static: false
line: 132
variables: [prior_v1, prior_v2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import Model
np.random.seed(0)
tf.random.set_seed(0)


class VariableLayer(tf.keras.layers.Layer):
    """Stand-in for tfp.layers.VariableLayer: ignores its input, returns a trainable vector."""

    def __init__(self, shape, **kwargs):
        super().__init__(**kwargs)
        self.shape = shape

    def build(self, input_shape):
        self.constant = self.add_weight(name='constant', shape=(self.shape,),
                                        initializer='random_normal', trainable=True)

    def call(self, inputs):
        return self.constant


def posterior_mean_field(kernel_size, bias_size=0, dtype=None, name=None):
    n = kernel_size + bias_size
    return VariableLayer(2 * n, name=name)


def prior_trainable(kernel_size, bias_size=0, dtype=None, name=None):
    n = kernel_size + bias_size
    return VariableLayer(n, name=name)


class DenseVariational(tf.keras.layers.Layer):
    """Stand-in for tfp.layers.DenseVariational (KL of N(loc, scale) against N(prior, 1))."""

    def __init__(self, units, make_posterior_fn, make_prior_fn, kl_weight=None,
                 activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self._make_posterior_fn = make_posterior_fn
        self._make_prior_fn = make_prior_fn
        self._kl_weight = kl_weight
        self.activation = tf.keras.activations.get(activation)

    def build(self, input_shape):
        last_dim = int(input_shape[-1])
        self._n = last_dim * self.units + self.units
        self._posterior = self._make_posterior_fn(last_dim * self.units, self.units,
                                                  name='posterior_' + self.name)
        self._prior = self._make_prior_fn(last_dim * self.units, self.units,
                                          name='prior_' + self.name)
        self._last_dim = last_dim

    def call(self, inputs):
        q = self._posterior(inputs)
        q_loc = q[:self._n]
        q_scale = 1e-5 + tf.nn.softplus(np.log(np.expm1(1.)) + q[self._n:])
        p_loc = self._prior(inputs)
        w = q_loc + q_scale * tf.random.normal(tf.shape(q_loc))
        kl = tf.reduce_sum(-tf.math.log(q_scale) + 0.5 * (q_scale ** 2 + (q_loc - p_loc) ** 2) - 0.5)
        self.add_loss(self._kl_weight * kl)
        kernel = tf.reshape(w[:self._last_dim * self.units], (self._last_dim, self.units))
        bias = w[self._last_dim * self.units:]
        return self.activation(tf.matmul(inputs, kernel) + bias)


def negloglik(y, rv_y):
    loc, scale = rv_y[..., :1], 1e-3 + tf.math.softplus(0.01 * rv_y[..., 1:])
    return 0.5 * ((y - loc) / scale) ** 2 + tf.math.log(scale) + 0.5 * np.log(2 * np.pi)


w0 = 0.125
b0 = 5.
x_range = [-20, 60]


def load_dataset(n=64):
    np.random.seed(43)

    def s(x):
        g = (x - x_range[0]) / (x_range[1] - x_range[0])
        return 3 * (0.25 + g ** 2.)
    x = (x_range[1] - x_range[0]) * np.random.rand(n) + x_range[0]
    eps = np.random.randn(n) * s(x)
    y = (w0 * x * (1. + np.sin(x)) + b0) + eps
    return y[..., np.newaxis].astype('float32'), x[..., np.newaxis].astype('float32')


y, x = load_dataset()


class Model_DenseVariational(Model):
    def __init__(self):
        super().__init__()
        self.dense_v1 = DenseVariational(8, posterior_mean_field, prior_trainable,
                                         kl_weight=1 / x.shape[0], activation='relu', name='v1')
        self.dense_v2 = DenseVariational(2, posterior_mean_field, prior_trainable,
                                         kl_weight=1 / x.shape[0], name='v2')

    def call(self, inputs):
        return self.dense_v2(self.dense_v1(inputs))


model1 = Model_DenseVariational()
optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)
for epoch in range(3):
    with tf.GradientTape() as tape:
        yhat = model1(x / 60.)
        loss = tf.reduce_mean(negloglik(y, yhat))
    grads = tape.gradient(loss, model1.trainable_variables)
    optimizer.apply_gradients(zip(grads, model1.trainable_variables))
    print('epoch', epoch, 'loss', round(float(loss), 4))
print('variables without gradient:',
      [v.name for v, g in zip(model1.trainable_variables, grads) if g is None])
