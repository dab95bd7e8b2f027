"""A TFP user wanted positive scales in a joint distribution. Inside the GradientTape they
wrapped their own variables in `tfp.util.TransformedVariable(scale_i, tfp.bijectors.Exp())`
and passed those as the Normal scales, then asked for the gradient of the negative log
likelihood with respect to `[loc_1, loc_2, scale_1, scale_2]`. Both `loc` gradients came
back, both `scale` gradients were None. Why: a TransformedVariable does not wrap the object
it is given. It treats it as an initial value and makes a new pretransformed `tf.Variable`
holding `log(scale_i)`, then returns `exp(new_var)` when read. Initialising a variable is an
assignment, which has no gradient, so the user's `scale_i` only set the new variable's first
value. The loss depended on the new (untracked, re-created every step) variables instead.
The fix is to make the TransformedVariables once, outside the tape, and differentiate with
respect to their `trainable_variables`. A minimal TransformedVariable and Exp bijector are
rewritten here in plain TensorFlow.
---
source: https://github.com/tensorflow/probability/issues/1167
framework: both
outcome: gradient_none
cause: variable_assign
also: [untracked_variable]
line: [43, 75, 76]
variables: [logscale_1, logscale_2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import math
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class Exp:
    def forward(self, x):
        return tf.exp(x)

    def inverse(self, y):
        return tf.math.log(y)


class TransformedVariable(tf.Module):
    """Like tfp.util.TransformedVariable: stores bijector.inverse(initial_value) in a new variable."""

    def __init__(self, initial_value, bijector, name=None):
        super().__init__(name=name)
        self.bijector = bijector
        self.pretransformed_input = tf.Variable(bijector.inverse(initial_value),
                                                name=(name or "tv") + "_pretransformed")

    def __call__(self):
        return self.bijector.forward(self.pretransformed_input)


def normal_log_prob(x, loc, scale):
    z = (x - loc) / scale
    return -0.5 * z * z - tf.math.log(scale) - 0.5 * math.log(2 * math.pi)


def poisson_log_prob(k, rate):
    return k * tf.math.log(rate) - rate - tf.math.lgamma(k + 1.0)


loc_1 = tf.Variable(5.0, name="loc_1")
loc_2 = tf.Variable(11.0, name="loc_2")
scale_1 = tf.Variable(2.0, name="logscale_1")
scale_2 = tf.Variable(3.0, name="logscale_2")

a_obs, b_obs = tf.constant(4.2), tf.constant(10.1)
counts = tf.constant([14.0, 17.0, 15.0, 12.0])


def joint_nll(scale_a, scale_b):
    lp = normal_log_prob(a_obs, loc_1, scale_a) + normal_log_prob(b_obs, loc_2, scale_b)
    lp += tf.reduce_sum(poisson_log_prob(counts, loc_1 + loc_2))
    return -lp


with tf.GradientTape() as tape:
    tv_1 = TransformedVariable(scale_1, Exp(), name="scale_1")
    tv_2 = TransformedVariable(scale_2, Exp(), name="scale_2")
    nll = joint_nll(tv_1(), tv_2())

grads = tape.gradient(nll, [loc_1, loc_2, scale_1, scale_2])
print("nll", float(nll))
for name, g in zip(["loc_1", "loc_2", "scale_1", "scale_2"], grads):
    print(name, None if g is None else float(g))
