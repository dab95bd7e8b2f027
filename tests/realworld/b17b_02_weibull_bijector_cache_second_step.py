"""A user fit the two parameters of a TFP Weibull by maximum likelihood. They built
`W_hat = tfd.Weibull(concentration=var_c, scale=var_s)` once, then ran a loop that opened a
fresh GradientTape each step and took the gradient of `-W_hat.log_prob(data)`. The first
step gave real gradients; from the second step on both were None (a Normal did not do this).
Why: TFP's Weibull is a TransformedDistribution over an inverted WeibullCDF bijector, and
bijectors cache their forward result and log-det-Jacobian, keyed on the input tensor. `data`
was the same tensor every step, so from step two `log_prob` got back the tensors computed
during step one's tape. The parameter variables were not read again while the new tape
recorded, so it had nothing to differentiate. Fixes: build the distribution inside the tape
each step, or pass a new tensor each step (`tf.identity(data)`) so the cache misses. The
bijector cache and the Weibull are rewritten here in plain TensorFlow with the same keying.
---
source: https://github.com/tensorflow/probability/issues/1772
framework: both
outcome: gradient_none
cause: outside_tape
line: [39, 65, 79]
variables: [W_c, W_s]
static: false
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class WeibullCDF(tf.Module):
    """Bijector y = 1 - exp(-(x/scale)^k), caching results per input tensor like TFP does."""

    def __init__(self, concentration, scale):
        super().__init__()
        self.concentration = concentration
        self.scale = scale
        self._cache = {}

    def _forward_and_ldj(self, x):
        key = x.ref()
        if key in self._cache:
            return self._cache[key]
        k = tf.convert_to_tensor(self.concentration)
        lam = tf.convert_to_tensor(self.scale)
        z = x / lam
        y = -tf.math.expm1(-(z ** k))
        ldj = tf.math.log(k / lam) + (k - 1.0) * tf.math.log(z) - z ** k
        self._cache[key] = (y, ldj)
        return y, ldj

    def forward(self, x):
        return self._forward_and_ldj(x)[0]

    def forward_log_det_jacobian(self, x):
        return self._forward_and_ldj(x)[1]


class Weibull(tf.Module):
    """Uniform(0, 1) pushed through the inverse of WeibullCDF, as in TFP."""

    def __init__(self, concentration, scale):
        super().__init__()
        self._bijector = WeibullCDF(concentration, scale)

    def log_prob(self, x):
        u = self._bijector.forward(x)                    # inverse of Invert(WeibullCDF)
        base = tf.where((u >= 0.0) & (u <= 1.0), 0.0, -float("inf"))  # Uniform(0,1) log_prob
        return base + self._bijector.forward_log_det_jacobian(x)


k_true, lam_true = 1.5, 2.5
u = tf.random.uniform([10_000], 1e-6, 1.0)
data = lam_true * (-tf.math.log(u)) ** (1.0 / k_true)

concentration = tf.Variable(1.0, name="W_c")
scale = tf.Variable(3.0, name="W_s")
W_hat = Weibull(concentration=concentration, scale=scale)

for epoch in range(3):
    with tf.GradientTape() as tape:
        tape.watch(W_hat.trainable_variables)
        nll = -tf.reduce_sum(W_hat.log_prob(data))
    grads = tape.gradient(nll, W_hat.trainable_variables)
    print(f"epoch {epoch}: nll={float(nll):.2f}",
          [None if g is None else round(float(g), 3) for g in grads])
