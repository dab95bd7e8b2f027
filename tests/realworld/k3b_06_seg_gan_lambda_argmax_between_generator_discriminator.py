"""Adversarial segmentation GAN in the Keras-GAN style: a small encoder-decoder generator
outputs a per-pixel softmax over 2 classes (out1, h x w x 2), a `keras.layers.Lambda`
turns it into a hard label mask with `argmax` + `expand_dims` + cast (out2, h x w x 1)
so it can be compared with real masks by the discriminator, and the combined model
(discriminator frozen) is trained with `train_on_batch`. Argmax has no gradient, so no
path leads from the discriminator's verdict back to the generator; with the discriminator
frozen the combined model's only trainable variables are the generator's and
train_on_batch raises "No gradients provided for any variable". Feeding the softmax
probabilities (or a straight-through / Gumbel-softmax relaxation) to the discriminator
fixes it. Random images and masks stand in for the dataset; one training round.
---
source: https://github.com/eriklindernoren/Keras-GAN/issues/61
framework: both
outcome: error
cause: nondifferentiable_op
line: 54
variables: [conv2d_1/kernel, conv2d_1/bias, conv2d_2/kernel, conv2d_2/bias, conv2d_transpose/kernel, conv2d_transpose/bias, conv2d_3/kernel, conv2d_3/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

h, w, c = 16, 16, 3


def build_generator():
    img = layers.Input(shape=(h, w, c))
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(img)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu")(x)
    out1 = layers.Conv2D(2, 1, padding="same", activation="softmax")(x)
    return keras.Model(img, out1, name="generator")


def build_discriminator():
    mask = layers.Input(shape=(h, w, 1))
    x = layers.Conv2D(16, 3, strides=2, padding="same")(mask)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Flatten()(x)
    val = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(mask, val, name="discriminator")


tf.keras.utils.set_random_seed(0)
discriminator = build_discriminator()
discriminator.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(2e-4),
                      metrics=["accuracy"])
generator = build_generator()

img_in = layers.Input(shape=(h, w, c))
out1 = generator(img_in)
out2 = layers.Lambda(lambda x: tf.cast(tf.expand_dims(tf.argmax(x, axis=-1), -1), dtype="float32"))(out1)
discriminator.trainable = False
val = discriminator(out2)
combined = keras.Model(img_in, val)
combined.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(2e-4))

rng = np.random.default_rng(0)
imgs = rng.random((8, h, w, c)).astype("float32")
real_masks = (rng.random((8, h, w, 1)) > 0.5).astype("float32")
valid = np.ones((8, 1), dtype="float32")
fake = np.zeros((8, 1), dtype="float32")

fake_masks = np.argmax(generator.predict(imgs, verbose=0), axis=-1)[..., None].astype("float32")
discriminator.trainable = True
d_loss_real = discriminator.train_on_batch(real_masks, valid)
d_loss_fake = discriminator.train_on_batch(fake_masks, fake)
print("d_loss:", round(float(0.5 * (np.ravel(d_loss_real)[0] + np.ravel(d_loss_fake)[0])), 4))
discriminator.trainable = False
g_loss = combined.train_on_batch(imgs, valid)
print("g_loss:", g_loss)
