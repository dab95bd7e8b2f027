"""WGAN-GP critic from eriklindernoren/Keras-GAN (wgan_gp/wgan_gp.py), shrunk to 8x8 images,
ported from standalone Keras to tf.keras with the same structure: a RandomWeightedAverage layer
mixes real and fake images, the critic scores the mix, and the gradient penalty is a Keras loss
bound with functools.partial to `averaged_samples=interpolated_img`, which calls
`K.gradients(y_pred, averaged_samples)`. In TF2 a compiled loss runs inside Keras' train
function (a tf.function graph), while `averaged_samples` is a symbolic tensor of the functional
model, not a tensor of that graph: the penalty cannot be differentiated with respect to it.
TF 2.1 returned [None] and K.square(None) failed; today K.gradients refuses the KerasTensor
at once. The interpolation and its gradient belong in a custom train_step with a GradientTape.
---
source: https://github.com/eriklindernoren/Keras-GAN/issues/215
framework: both
outcome: error
cause: disconnected
also: [wrong_sources]
line: 81
variables: [averaged_samples]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from functools import partial

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense, Reshape, Flatten, Dropout
from tensorflow.keras.layers import BatchNormalization, Activation, LeakyReLU, Layer
from tensorflow.keras.layers import UpSampling2D, Conv2D
from tensorflow.keras.models import Sequential, Model
from tensorflow.keras.optimizers import RMSprop
import tensorflow.keras.backend as K

tf.keras.utils.set_random_seed(0)
BATCH = 8


class RandomWeightedAverage(Layer):
    """Provides a (random) weighted average between real and generated image samples"""
    def call(self, inputs):
        alpha = K.random_uniform((BATCH, 1, 1, 1))
        return (alpha * inputs[0]) + ((1 - alpha) * inputs[1])


class WGANGP():
    def __init__(self):
        self.img_rows = 8
        self.img_cols = 8
        self.channels = 1
        self.img_shape = (self.img_rows, self.img_cols, self.channels)
        self.latent_dim = 4
        self.n_critic = 2
        optimizer = RMSprop(learning_rate=0.00005)

        self.generator = self.build_generator()
        self.critic = self.build_critic()

        # Freeze generator's layers while training critic
        self.generator.trainable = False
        real_img = Input(shape=self.img_shape)
        z_disc = Input(shape=(self.latent_dim,))
        fake_img = self.generator(z_disc)
        fake = self.critic(fake_img)
        valid = self.critic(real_img)

        interpolated_img = RandomWeightedAverage()([real_img, fake_img])
        validity_interpolated = self.critic(interpolated_img)

        partial_gp_loss = partial(self.gradient_penalty_loss,
                                  averaged_samples=interpolated_img)
        partial_gp_loss.__name__ = 'gradient_penalty'

        self.critic_model = Model(inputs=[real_img, z_disc],
                                  outputs=[valid, fake, validity_interpolated])
        self.critic_model.compile(loss=[self.wasserstein_loss,
                                        self.wasserstein_loss,
                                        partial_gp_loss],
                                  optimizer=optimizer,
                                  loss_weights=[1, 1, 10])

    def gradient_penalty_loss(self, y_true, y_pred, averaged_samples):
        """Computes gradient penalty based on prediction and weighted real / fake samples"""
        gradients = K.gradients(y_pred, averaged_samples)[0]
        gradients_sqr = K.square(gradients)
        gradients_sqr_sum = K.sum(gradients_sqr,
                                  axis=np.arange(1, len(gradients_sqr.shape)))
        gradient_l2_norm = K.sqrt(gradients_sqr_sum)
        gradient_penalty = K.square(1 - gradient_l2_norm)
        return K.mean(gradient_penalty)

    def wasserstein_loss(self, y_true, y_pred):
        return K.mean(y_true * y_pred)

    def build_generator(self):
        model = Sequential()
        model.add(Dense(16 * 2 * 2, activation="relu", input_shape=(self.latent_dim,)))
        model.add(Reshape((2, 2, 16)))
        model.add(UpSampling2D())
        model.add(Conv2D(16, kernel_size=3, padding="same"))
        model.add(BatchNormalization(momentum=0.8))
        model.add(Activation("relu"))
        model.add(UpSampling2D())
        model.add(Conv2D(self.channels, kernel_size=3, padding="same"))
        model.add(Activation("tanh"))
        noise = Input(shape=(self.latent_dim,))
        img = model(noise)
        return Model(noise, img)

    def build_critic(self):
        model = Sequential()
        model.add(Conv2D(8, kernel_size=3, strides=2, input_shape=self.img_shape, padding="same"))
        model.add(LeakyReLU(0.2))
        model.add(Dropout(0.25))
        model.add(Conv2D(16, kernel_size=3, strides=2, padding="same"))
        model.add(LeakyReLU(0.2))
        model.add(Flatten())
        model.add(Dense(1))
        img = Input(shape=self.img_shape)
        validity = model(img)
        return Model(img, validity)

    def train(self, epochs, batch_size):
        X_train = np.random.uniform(-1, 1, (64,) + self.img_shape).astype("float32")
        valid = -np.ones((batch_size, 1))
        fake = np.ones((batch_size, 1))
        dummy = np.zeros((batch_size, 1))  # Dummy gt for gradient penalty
        for epoch in range(epochs):
            for _ in range(self.n_critic):
                idx = np.random.randint(0, X_train.shape[0], batch_size)
                imgs = X_train[idx]
                noise = np.random.normal(0, 1, (batch_size, self.latent_dim))
                d_loss = self.critic_model.train_on_batch([imgs, noise], [valid, fake, dummy])
            print("%d [D loss: %f]" % (epoch, d_loss[0]))


if __name__ == '__main__':
    wgan = WGANGP()
    wgan.train(epochs=1, batch_size=BATCH)
