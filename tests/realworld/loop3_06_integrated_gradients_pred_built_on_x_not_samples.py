"""Integrated Gradients on a toy regression, with the helper functions of the
IntegratedGradientsTF repository: `linear_inpterpolation(x, num_steps)` builds the batch of
images interpolated between a zero reference and `x`, and `build_ig(samples, stepsizes,
_output)` calls `tf.gradients(ys=_output, xs=samples)` and sums the gradients times the step
sizes. The user's prediction is `pred = tf.reduce_sum(tf.pow(x, 2), [1, 2, 3])`, computed from
the original input `x`, not from the interpolated `inter` that is passed as `samples`. `inter`
is derived from `x`, but `pred` does not depend on `inter`, so `tf.gradients` returns [None]
and the attribution step fails. The model (here the squared sum) must be evaluated on the
interpolated samples: `pred = tf.reduce_sum(tf.pow(inter, 2), [1, 2, 3])`. TF1's placeholder
graph is replaced by a tf.function, where tf.gradients works the same way.
---
source: https://github.com/hiranumn/IntegratedGradientsTF/issues/1
framework: both
outcome: gradient_none
cause: wrong_sources
static: false
also: [disconnected]
line: 50
variables: [samples]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

np.random.seed(0)
tf.random.set_seed(0)


def linear_inpterpolation(sample, num_steps=50):
    reference = tf.zeros_like(sample)
    alphas = tf.reshape(tf.linspace(0.0, 1.0, num_steps + 1), [-1, 1, 1, 1, 1])
    inter = reference[None] + alphas * (sample - reference)[None]
    inter = tf.reshape(inter, [-1] + sample.shape.as_list()[1:])
    stepsize = (sample - reference) / num_steps
    return inter, stepsize, reference


def build_ig(samples, stepsizes, _output, num_steps=50):
    grads = tf.gradients(ys=_output, xs=samples)
    print("grads:", grads)
    flag = grads[0] is not None
    if not flag:
        return None
    scaled = tf.reshape(grads[0], [num_steps + 1, -1] + samples.shape.as_list()[1:])
    return tf.reduce_sum(scaled, axis=0) * stepsizes


@tf.function
def explain(x):
    pred = tf.reduce_sum(tf.pow(x, 2), [1, 2, 3])
    inter, stepsize, ref = linear_inpterpolation(x, num_steps=5)
    res = build_ig(inter, stepsize, pred, num_steps=5)
    return res


x_pure = np.random.randint(-10, 10, [2, 8, 8, 3]).astype("float32")
y_test = np.sum(x_pure ** 2, axis=(1, 2, 3))
res = explain(tf.constant(x_pure))
print("integrated gradients:", res)
