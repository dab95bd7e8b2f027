"""The user's network predicts an image in HSV space and converts it to RGB with
tf.image.hsv_to_rgb so that the reconstruction loss can be taken against the
RGB target. Inspecting the graph they found that the HSVToRGB op has no gradient
function, and the tape returns None for every weight of the generator: the
conversion kernel is registered as not differentiable, so nothing upstream of it
receives a gradient (no error, the optimizer simply has nothing to apply). The
accepted fix is to re-implement the HSV->RGB formula with primitive,
differentiable ops (mod, abs, where, stack) instead of the raw image kernel.
---
source: https://github.com/tensorflow/tensorflow/issues/21510
framework: both
outcome: gradient_none
cause: nondifferentiable_op
line: 39
variables: [enc_conv/kernel, enc_conv/bias, hsv_conv/kernel, hsv_conv/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
keras = tf.keras


class HSVColorizer(keras.Model):
    """Predicts hue/saturation/value maps from a grey image."""

    def __init__(self):
        super().__init__()
        self.enc = keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="enc_conv")
        self.to_hsv = keras.layers.Conv2D(3, 1, activation="sigmoid", name="hsv_conv")

    def call(self, grey):
        new_image_hsv = self.to_hsv(self.enc(grey))  # values in [0, 1]
        return new_image_hsv


def reconstruction_loss(model, grey, target_rgb):
    new_image_hsv = model(grey)
    new_image_rgb = tf.image.hsv_to_rgb(new_image_hsv, name="hsv2rgb")
    return tf.reduce_mean(tf.square(new_image_rgb - target_rgb))


model = HSVColorizer()
optimizer = keras.optimizers.Adam(1e-3)
grey = tf.random.uniform((4, 32, 32, 1))
target_rgb = tf.random.uniform((4, 32, 32, 3))
model(grey)

for step in range(3):
    with tf.GradientTape() as tape:
        loss = reconstruction_loss(model, grey, target_rgb)
    grads = tape.gradient(loss, model.trainable_variables)
    print(f"step {step} loss {float(loss):.5f}",
          {getattr(v, "path", v.name): (g is None) for v, g in zip(model.trainable_variables, grads)})
    pairs = [(g, v) for g, v in zip(grads, model.trainable_variables) if g is not None]
    if pairs:
        optimizer.apply_gradients(pairs)
    else:
        print("  all gradients are None: nothing to apply")
