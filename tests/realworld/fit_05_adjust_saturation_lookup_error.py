"""Differentiating a loss through tf.image colour adjustments with respect to a tf.Variable factor:
adjust_brightness works (its wrapper is plain ops), but adjust_saturation calls the raw AdjustSaturation
kernel, which has no registered gradient, so tape.gradient raises LookupError.

---
source: https://github.com/tensorflow/tensorflow/issues/126083
framework: both
outcome: error
cause: nondifferentiable_op
line: 34
variables: [saturation_factor]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

img = np.random.default_rng(3).random((1, 4, 4, 3)).astype(np.float32) * 0.8 + 0.1
img = tf.constant(img)

# works: composite implementation
v = tf.Variable([0.05], dtype=tf.float32, name="brightness_delta")
with tf.GradientTape() as t:
    t.watch(v)
    loss = tf.reduce_sum(tf.image.adjust_brightness(img, v[0]))
print("adjust_brightness grad:", t.gradient(loss, v).numpy())

# fails: raw kernel without a registered gradient
s = tf.Variable([1.3], dtype=tf.float32, name="saturation_factor")
opt = tf.keras.optimizers.SGD(0.01)
for step in range(2):
    with tf.GradientTape() as t:
        t.watch(s)
        loss = tf.reduce_sum(tf.image.adjust_saturation(img, s[0]))
    grad = t.gradient(loss, s)
    opt.apply_gradients([(grad, s)])
    print("adjust_saturation grad:", grad)
