"""Healthy reference: the TensorFlow DCGAN tutorial. A generator
(Dense -> BatchNorm -> LeakyReLU -> Conv2DTranspose stack) and a convolutional
discriminator are trained together in a `@tf.function` `train_step` that opens
two GradientTapes at once, computes the generator and discriminator
cross-entropy losses (from logits) and applies each tape's gradients to its own
model's `trainable_variables`. Every variable of both models receives a finite,
non-zero gradient and both models update. Shrunk: 7x7 -> 14x14 images instead of
28x28 MNIST, random "real" images, a few steps.
---
source: https://github.com/tensorflow/docs/blob/master/site/en/tutorials/generative/dcgan.ipynb
framework: both
outcome: trains_fine
cause: none
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)
BATCH_SIZE, noise_dim = 16, 20


def make_generator_model():
    model = tf.keras.Sequential()
    model.add(tf.keras.Input(shape=(noise_dim,)))
    model.add(layers.Dense(7 * 7 * 32, use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Reshape((7, 7, 32)))
    model.add(layers.Conv2DTranspose(16, (5, 5), strides=(1, 1), padding='same', use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding='same', use_bias=False,
                                     activation='tanh'))
    return model


def make_discriminator_model():
    model = tf.keras.Sequential()
    model.add(tf.keras.Input(shape=(14, 14, 1)))
    model.add(layers.Conv2D(16, (5, 5), strides=(2, 2), padding='same'))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Conv2D(32, (5, 5), strides=(2, 2), padding='same'))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Flatten())
    model.add(layers.Dense(1))
    return model


generator = make_generator_model()
discriminator = make_discriminator_model()
cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def discriminator_loss(real_output, fake_output):
    real_loss = cross_entropy(tf.ones_like(real_output), real_output)
    fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
    return real_loss + fake_loss


def generator_loss(fake_output):
    return cross_entropy(tf.ones_like(fake_output), fake_output)


generator_optimizer = tf.keras.optimizers.Adam(1e-4)
discriminator_optimizer = tf.keras.optimizers.Adam(1e-4)


@tf.function
def train_step(images):
    noise = tf.random.normal([BATCH_SIZE, noise_dim])
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        generated_images = generator(noise, training=True)
        real_output = discriminator(images, training=True)
        fake_output = discriminator(generated_images, training=True)
        gen_loss = generator_loss(fake_output)
        disc_loss = discriminator_loss(real_output, fake_output)
    gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
    gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
    generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(zip(gradients_of_discriminator, discriminator.trainable_variables))
    return gen_loss, disc_loss, gradients_of_generator, gradients_of_discriminator


train_images = np.random.rand(64, 14, 14, 1).astype("float32") * 2 - 1
train_dataset = tf.data.Dataset.from_tensor_slices(train_images).batch(BATCH_SIZE)
g_before = [v.numpy().copy() for v in generator.trainable_variables]
d_before = [v.numpy().copy() for v in discriminator.trainable_variables]
for epoch in range(2):
    for image_batch in train_dataset:
        gen_loss, disc_loss, g_grads, d_grads = train_step(image_batch)
    print("epoch", epoch, "gen_loss", float(gen_loss), "disc_loss", float(disc_loss))
for name, grads in [("generator", g_grads), ("discriminator", d_grads)]:
    print(name, "grads none/nonfinite/zero:",
          sum(g is None for g in grads),
          sum(not bool(tf.reduce_all(tf.math.is_finite(g))) for g in grads),
          sum(float(tf.reduce_max(tf.abs(g))) == 0.0 for g in grads))
print("generator changed:", all(np.any(a != v.numpy()) for a, v in zip(g_before, generator.trainable_variables)))
print("discriminator changed:", all(np.any(a != v.numpy()) for a, v in zip(d_before, discriminator.trainable_variables)))
