"""A TF 2.0 DCGAN on 28x28 images with subclassed Generator/Discriminator models that wrap
a Sequential. In the training step the user generates the fake images and runs the
discriminator on real and fake batches first, and only then opens
`with tf.GradientTape(persistent=True) as tape:` to compute the two losses from those
already-computed outputs. The tape sees no operation that reads a weight, so both
`tape.gradient(g_loss, generator.trainable_variables)` and the discriminator gradients are
all None and `apply_gradients` raises "No gradients provided for any variable". As the
reply in the thread put it: transform the data and compute the loss with the tape recording,
i.e. move the generator/discriminator calls into the `with` block.
---
source: https://github.com/tensorflow/tensorflow/issues/31265
framework: both
outcome: error
cause: outside_tape
line: [77, 78, 79]
variables: [dense, conv2d_transpose, conv2d]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(0)
np.random.seed(0)


class Generator(keras.Model):

    def __init__(self, n_f=16, n_k=4):
        super(Generator, self).__init__()
        self.model = keras.models.Sequential([
            keras.layers.Input((100,)),
            keras.layers.Dense(3 * 3 * n_f, activation=tf.nn.leaky_relu),
            keras.layers.Reshape((3, 3, n_f)),
            keras.layers.Conv2DTranspose(filters=n_f // 2, kernel_size=3, strides=2, padding='valid'),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2DTranspose(filters=n_f // 4, kernel_size=n_k, strides=2, padding='same'),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2DTranspose(filters=1, kernel_size=n_k, strides=2, padding='same'),
        ])

    def call(self, inputs, training=None, mask=None):
        return self.model(inputs, training=training)


class Discriminator(keras.Model):

    def __init__(self, n_f=16, n_k=4):
        super(Discriminator, self).__init__()
        self.model = keras.models.Sequential([
            keras.layers.Input((28, 28, 1)),
            keras.layers.Conv2D(filters=n_f, kernel_size=n_k, strides=2, padding='same'),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2D(filters=n_f * 2, kernel_size=n_k, strides=2, padding='same'),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ])

    def call(self, inputs, training=None, mask=None):
        return self.model(inputs, training=training)


generator = Generator()
discriminator = Discriminator()
g_optimizer = keras.optimizers.Adam(1e-4)
d_optimizer = keras.optimizers.Adam(1e-4)
cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
dataset = tf.data.Dataset.from_tensor_slices(
    np.random.rand(16, 28, 28, 1).astype("float32") * 2 - 1).batch(8)

for real_images in dataset:
    noise = tf.random.normal([8, 100])
    fake_images = generator(noise, training=True)
    real_output = discriminator(real_images, training=True)
    fake_output = discriminator(fake_images, training=True)
    with tf.GradientTape(persistent=True) as tape:
        g_loss = cross_entropy(tf.ones_like(fake_output), fake_output)
        d_loss = cross_entropy(tf.ones_like(real_output), real_output) + \
            cross_entropy(tf.zeros_like(fake_output), fake_output)
    g_grads = tape.gradient(g_loss, generator.trainable_variables)
    d_grads = tape.gradient(d_loss, discriminator.trainable_variables)
    del tape
    print("generator grads None:", all(g is None for g in g_grads))
    g_optimizer.apply_gradients(zip(g_grads, generator.trainable_variables))
    d_optimizer.apply_gradients(zip(d_grads, discriminator.trainable_variables))
    print("g_loss", float(g_loss), "d_loss", float(d_loss))
