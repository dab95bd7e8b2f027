"""rKAN's TensorFlow `PadeRKAN` layer (a Pade [p/q] rational activation for
Kolmogorov-Arnold networks) creates `alpha_p`, `beta_p`, `zeta_p` with `add_weight` for
the numerator's shifted Jacobi polynomials, but the numerator only uses them inside
`for deg in range(2, self.degree_p)`. With the README's `PadeRKAN(2, ...)` that loop is
empty: p is just `w_p[0] + w_p[1] * x`, the three numerator shape parameters never reach
the loss, and `fit()` warns "Gradients do not exist for variables ['.../alpha_p',
'.../beta_p', '.../zeta_p']" while everything else trains. Only degree_p >= 3 (or not
creating those weights for degree 2) makes them take part. Here the denominator has
degree 4 instead of 6 to keep the file short; random regression data.
---
source: https://github.com/alirezaafzalaghaei/rKAN/issues/1
framework: both
outcome: warning
cause: unused_variable
static: false
line: 123
variables: [pade_rkan/alpha_p, pade_rkan/beta_p, pade_rkan/zeta_p]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Layer, Dense
from tensorflow.keras.activations import elu, sigmoid
from tensorflow.keras.initializers import Ones, Zeros


def shifted_jacobi_polynomial(x, n, alpha, beta, zeta, a, b, backend):
    if n == 2:
        return (
            ((alpha + 1) * (alpha + 2)) / 2
            + ((alpha + 2) * (3 + alpha + beta) * ((2 * x**zeta - a - b) / (b - a) - 1)) / 2
            + ((3 + alpha + beta) * (4 + alpha + beta)
               * ((2 * x**zeta - a - b) / (b - a) - 1) ** 2) / 8
        )
    elif n == 3:
        return (
            ((alpha + 1) * (alpha + 2) * (3 + alpha)) / 6
            + ((alpha + 2) * (3 + alpha) * (4 + alpha + beta)
               * ((2 * x**zeta - a - b) / (b - a) - 1)) / 4
            + ((3 + alpha) * (4 + alpha + beta) * (5 + alpha + beta)
               * ((2 * x**zeta - a - b) / (b - a) - 1) ** 2) / 8
            + ((4 + alpha + beta) * (5 + alpha + beta) * (6 + alpha + beta)
               * ((2 * x**zeta - a - b) / (b - a) - 1) ** 3) / 48
        )
    raise ValueError("only degrees 2 and 3 are kept in this excerpt")


class PadeRKAN(Layer):
    def __init__(self, degree_p, degree_q, **kwargs):
        super(PadeRKAN, self).__init__(**kwargs)

        if not 0 < degree_p < 7 or not 0 < degree_q < 7:
            raise ValueError('Both degree_p and degree_q must be between one and six (inclusive).')

        self.degree_p = degree_p
        self.degree_q = degree_q
        self.shifted_jacobi_polynomial = tf.function(shifted_jacobi_polynomial)

    def build(self, input_shape):
        self.alpha_p = self.add_weight(
            name="alpha_p",
            shape=(1,),
            initializer=Ones(),
            trainable=True
        )
        self.beta_p = self.add_weight(
            name="beta_p",
            shape=(1,),
            initializer=Ones(),
            trainable=True
        )
        self.zeta_p = self.add_weight(
            name="zeta_p",
            shape=(1,),
            initializer=Zeros(),
            trainable=True
        )
        self.w_p = self.add_weight(
            name="w_p",
            shape=(self.degree_p,),
            initializer=Ones(),
            trainable=True
        )

        self.alpha_q = self.add_weight(
            name="alpha_q",
            shape=(1,),
            initializer=Ones(),
            trainable=True
        )
        self.beta_q = self.add_weight(
            name="beta_q",
            shape=(1,),
            initializer=Ones(),
            trainable=True
        )
        self.zeta_q = self.add_weight(
            name="zeta_q",
            shape=(1,),
            initializer=Zeros(),
            trainable=True
        )
        self.w_q = self.add_weight(
            name="w_q",
            shape=(self.degree_q,),
            initializer=Ones(),
            trainable=True
        )
        super(PadeRKAN, self).build(input_shape)

    def call(self, inputs):
        normalized_alpha_p = elu(self.alpha_p, 1)
        normalized_beta_p = elu(self.beta_p, 1)
        normalized_zeta_p = sigmoid(self.zeta_p)

        normalized_alpha_q = elu(self.alpha_q, 1)
        normalized_beta_q = elu(self.beta_q, 1)
        normalized_zeta_q = sigmoid(self.zeta_q)

        normalized_inputs = sigmoid(inputs)

        p = self.w_p[0] + self.w_p[1] * normalized_inputs
        for deg in range(2, self.degree_p):
            p += self.w_p[deg] * self.shifted_jacobi_polynomial(
                normalized_inputs,
                deg,
                normalized_alpha_p,
                normalized_beta_p,
                normalized_zeta_p,
                0,
                1,
                backend=tf
            )

        q = self.w_q[0] + self.w_q[1] * normalized_inputs
        for deg in range(2, self.degree_q):
            q += self.w_q[deg] * self.shifted_jacobi_polynomial(
                normalized_inputs,
                deg,
                normalized_alpha_q,
                normalized_beta_q,
                normalized_zeta_q,
                0,
                1,
                backend=tf
            )

        return p / q


tf.keras.utils.set_random_seed(0)
model = tf.keras.models.Sequential([
    tf.keras.Input(shape=(8,)),
    Dense(16),
    PadeRKAN(2, 4),
    Dense(1),
])
model.compile(optimizer="adam", loss="mse")
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 8)).astype("float32")
y = np.sin(x.sum(axis=1, keepdims=True)).astype("float32")
history = model.fit(x, y, epochs=2, batch_size=32, verbose=0)
print("losses:", [round(v, 4) for v in history.history["loss"]])
