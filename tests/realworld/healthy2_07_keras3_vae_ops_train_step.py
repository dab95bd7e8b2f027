"""Convolutional variational autoencoder in its Keras 3 form, adapted from the keras.io VAE example: the `Sampling` layer draws `epsilon` with `keras.random.normal(..., seed=self.seed_generator)` (a `keras.random.SeedGenerator`, whose state is a non-trainable integer variable that changes every call), and the subclassed `VAE` model overrides `train_step` with a `tf.GradientTape` around the encoder/decoder and a loss written entirely with `keras.ops` (`ops.mean`, `ops.sum`, `ops.square`, `ops.exp`) plus `keras.losses.binary_crossentropy`; gradients are taken for `self.trainable_weights` and the three `keras.metrics.Mean` trackers are updated after the tape. The reparameterisation keeps `z_mean` and `z_log_var` differentiable, so every encoder and decoder variable trains. MNIST is replaced by random images in [0, 1], the latent dimension and filters are kept small; two epochs. Keras 3 only (`keras.ops`, `keras.random.SeedGenerator`).
---
source: https://github.com/keras-team/keras-io/blob/master/examples/generative/vae.py
framework: keras3
outcome: trains_fine
cause: none
line: 0
variables: []
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = "tensorflow"

import numpy as np
import tensorflow as tf
import keras
from keras import ops
from keras import layers

keras.utils.set_random_seed(0)


class Sampling(layers.Layer):
    """Uses (z_mean, z_log_var) to sample z, the vector encoding a digit."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


latent_dim = 2

encoder_inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
x = layers.Conv2D(16, 3, activation="relu", strides=2, padding="same")(x)
x = layers.Flatten()(x)
x = layers.Dense(16, activation="relu")(x)
z_mean = layers.Dense(latent_dim, name="z_mean")(x)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")

latent_inputs = keras.Input(shape=(latent_dim,))
x = layers.Dense(7 * 7 * 16, activation="relu")(latent_inputs)
x = layers.Reshape((7, 7, 16))(x)
x = layers.Conv2DTranspose(16, 3, activation="relu", strides=2, padding="same")(x)
x = layers.Conv2DTranspose(8, 3, activation="relu", strides=2, padding="same")(x)
decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")


class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(
            name="reconstruction_loss"
        )
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [
            self.total_loss_tracker,
            self.reconstruction_loss_tracker,
            self.kl_loss_tracker,
        ]

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
            reconstruction_loss = ops.mean(
                ops.sum(
                    keras.losses.binary_crossentropy(data, reconstruction),
                    axis=(1, 2),
                )
            )
            kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
            kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
            total_loss = reconstruction_loss + kl_loss
        grads = tape.gradient(total_loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total_loss)
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.kl_loss_tracker.update_state(kl_loss)
        return {
            "loss": self.total_loss_tracker.result(),
            "reconstruction_loss": self.reconstruction_loss_tracker.result(),
            "kl_loss": self.kl_loss_tracker.result(),
        }


# Random stand-in for keras.datasets.mnist.load_data()
rng = np.random.default_rng(0)
mnist_digits = rng.integers(0, 256, size=(64, 28, 28)).astype("float32")
mnist_digits = np.expand_dims(mnist_digits, -1).astype("float32") / 255

vae = VAE(encoder, decoder)
vae.compile(optimizer=keras.optimizers.Adam())
before = [v.numpy().copy() for v in vae.trainable_weights]
history = vae.fit(mnist_digits, epochs=2, batch_size=32, verbose=0)

changed = sum(not np.allclose(b, v.numpy()) for b, v in zip(before, vae.trainable_weights))
print("loss:", history.history["loss"])
print("trainable weights changed: %d/%d" % (changed, len(before)))
assert np.all(np.isfinite(history.history["loss"]))
assert changed == len(before)
