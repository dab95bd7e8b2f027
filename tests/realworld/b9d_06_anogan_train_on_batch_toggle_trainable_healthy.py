"""Healthy case adapted from yjucho1/anoGAN (anogan.py), a classic Keras-2 GAN loop: the
discriminator `d` is compiled, then frozen with `d.trainable = False` only while the stacked
model `d_on_g` is built and compiled, and the loop keeps toggling `d.trainable` around the
generator step; fake images come from `g.predict` (NumPy) and are fed back with
`train_on_batch`. It all looks suspicious (predict in the loop, frozen model, flag toggling),
but each model was compiled with the trainable state it needs: `d.train_on_batch` updates the
discriminator, `d_on_g.train_on_batch` updates only the generator, and the NumPy fakes are
meant to be constants for the discriminator step. Generator and discriminator weights both move
and the discriminator loss falls. Shrunk to 8x8 images and a few batches.
---
source: https://github.com/yjucho1/anoGAN/blob/master/anogan.py
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential, Model
from tensorflow.keras.layers import Input, Reshape, Dense, Dropout, UpSampling2D, Conv2D, Flatten, LeakyReLU
from tensorflow.keras import initializers
tf.keras.utils.set_random_seed(0)

LATENT = 16


def generator_model():
    generator = Sequential()
    generator.add(Input(shape=(LATENT,)))
    generator.add(Dense(16 * 2 * 2, kernel_initializer=initializers.RandomNormal(stddev=0.02)))
    generator.add(LeakyReLU(0.2))
    generator.add(Reshape((2, 2, 16)))
    generator.add(UpSampling2D(size=(2, 2)))
    generator.add(Conv2D(8, kernel_size=(3, 3), padding='same'))
    generator.add(LeakyReLU(0.2))
    generator.add(UpSampling2D(size=(2, 2)))
    generator.add(Conv2D(1, kernel_size=(3, 3), padding='same', activation='tanh'))
    generator.compile(loss='binary_crossentropy', optimizer='adam')
    return generator


def discriminator_model():
    discriminator = Sequential()
    discriminator.add(Input(shape=(8, 8, 1)))
    discriminator.add(Conv2D(8, kernel_size=(3, 3), strides=(2, 2), padding='same',
                             kernel_initializer=initializers.RandomNormal(stddev=0.02)))
    discriminator.add(LeakyReLU(0.2))
    discriminator.add(Dropout(0.3))
    discriminator.add(Conv2D(16, kernel_size=(3, 3), strides=(2, 2), padding='same'))
    discriminator.add(LeakyReLU(0.2))
    discriminator.add(Dropout(0.3))
    discriminator.add(Flatten())
    discriminator.add(Dense(1, activation='sigmoid'))
    discriminator.compile(loss='binary_crossentropy', optimizer='adam')
    return discriminator


def generator_containing_discriminator(g, d):
    d.trainable = False
    ganInput = Input(shape=(LATENT,))
    x = g(ganInput)
    ganOutput = d(x)
    gan = Model(inputs=ganInput, outputs=ganOutput)
    gan.compile(loss='binary_crossentropy', optimizer='adam')
    return gan


def train(BATCH_SIZE, X_train, epochs=3):
    d = discriminator_model()
    g = generator_model()
    d_on_g = generator_containing_discriminator(g, d)
    d.trainable = True
    d_losses, g_losses = [], []
    for epoch in range(epochs):
        for index in range(int(X_train.shape[0] / BATCH_SIZE)):
            noise = np.random.uniform(0, 1, size=(BATCH_SIZE, LATENT))
            image_batch = X_train[index * BATCH_SIZE:(index + 1) * BATCH_SIZE]
            generated_images = g.predict(noise, verbose=0)
            X = np.concatenate((image_batch, generated_images))
            y = np.array([1] * BATCH_SIZE + [0] * BATCH_SIZE)
            d_loss = d.train_on_batch(X, y)
            noise = np.random.uniform(0, 1, (BATCH_SIZE, LATENT))
            d.trainable = False
            g_loss = d_on_g.train_on_batch(noise, np.array([1] * BATCH_SIZE))
            d.trainable = True
            d_losses.append(float(np.ravel(d_loss)[0]))
            g_losses.append(float(np.ravel(g_loss)[0]))
        print("epoch", epoch, "d_loss %.4f" % d_losses[-1], "g_loss %.4f" % g_losses[-1])
    return d, g


if __name__ == '__main__':
    X_train = np.clip(np.random.normal(0.5, 0.2, size=(64, 8, 8, 1)), -1, 1).astype('float32')
    d, g = train(16, X_train)
