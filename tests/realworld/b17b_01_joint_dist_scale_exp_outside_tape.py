"""A TensorFlow Probability user built a JointDistributionSequential whose first two
Normal components took `scale=tf.exp(logscale_i)` with `logscale_i` a tf.Variable. The
joint was built once, before the GradientTape, and only `joint.log_prob(...)` ran inside
the tape. `tape.gradient` returned tensors for the two `loc` variables but None for both
`logscale` variables. Why: the `tf.exp(...)` was computed eagerly when the distribution was
constructed, before the tape opened, so the distribution kept a plain constant tensor as
its scale. Only the `loc` variables, which were handed over as variables and read inside
`log_prob`, were recorded. The fix is to build the distribution inside the tape (or to pass
something deferred, like a TransformedVariable, that calls `exp` each time it is read). This
file reimplements the small part of TFP it needs (a Normal and a sequential joint whose
callables get the earlier samples, newest first) in plain TensorFlow.
---
source: https://github.com/tensorflow/probability/issues/1165
framework: both
outcome: gradient_none
cause: outside_tape
line: [64, 65]
variables: [logscale_1, logscale_2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import math
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class Normal:
    """Minimal stand-in for tfd.Normal: keeps the parameters it was given."""

    def __init__(self, loc, scale):
        self.loc = loc
        self.scale = scale

    def log_prob(self, x):
        x = tf.convert_to_tensor(x, tf.float32)
        loc = tf.convert_to_tensor(self.loc)
        scale = tf.convert_to_tensor(self.scale)
        z = (x - loc) / scale
        return tf.reduce_sum(-0.5 * z * z - tf.math.log(scale) - 0.5 * math.log(2 * math.pi))


class JointDistributionSequential:
    """Like tfd.JointDistributionSequential: a callable gets the previous values, newest first."""

    def __init__(self, model):
        self.model = model

    def log_prob(self, *values):
        total = 0.0
        for i, (part, value) in enumerate(zip(self.model, values)):
            dist = part(*reversed(values[:i])) if callable(part) else part
            total += dist.log_prob(value)
        return total


loc_1 = tf.Variable([38.6], name="loc_1")
logscale_1 = tf.Variable([2.3], name="logscale_1")
loc_2 = tf.Variable([6.6], name="loc_2")
logscale_2 = tf.Variable([3.4], name="logscale_2")
a = tf.Variable([3.3], name="a")
b = tf.Variable([6.0], name="b")

joint = JointDistributionSequential([
    Normal(loc=loc_1, scale=tf.exp(logscale_1)),
    Normal(loc=loc_2, scale=tf.exp(logscale_2)),
    lambda b1, b0: Normal(loc=b0 + b1 * 3.0, scale=a / b),
])

with tf.GradientTape() as tape:
    ll = joint.log_prob(3.0, 5.0, 6.0)

sources = [loc_1, loc_2, logscale_1, logscale_2, a, b]
grads = tape.gradient(ll, sources)
print("log_prob:", float(ll))
for v, g in zip(sources, grads):
    print(f"{v.name:14s} grad:", None if g is None else g.numpy())
