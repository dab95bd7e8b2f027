"""A convolutional VAE written as subclassed Encoder/Decoder/VAE models. The user ran the
forward pass `X_recon, mu, log_var = model(X)` in its own notebook cell, and only then
opened `with tf.GradientTape() as tape:` around `compute_total_loss(data=X,
reconstruction=X_recon, mu=mu, log_var=log_var)`. The tape records only the loss
arithmetic on tensors it never saw being produced from the weights, so every entry of
`tape.gradient(total_loss, model.trainable_weights)` is None and
`optimizer.apply_gradients` raises "No gradients provided for any variable". Fix: call
`model(X)` inside the `with` block.
---
source: https://github.com/tensorflow/tensorflow/issues/54341
framework: both
outcome: error
cause: outside_tape
line: 111
variables: [conv2d, dense, conv2d_transpose]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers
from tensorflow.keras.layers import Conv2D, Conv2DTranspose, Dense, Flatten, Reshape
from tensorflow.keras.models import Model

tf.random.set_seed(0)
np.random.seed(0)


class Encoder(Model):
    def __init__(self, latent_space=3):
        super(Encoder, self).__init__()
        self.latent_space = latent_space
        self.conv1 = Conv2D(filters=8, kernel_size=3, strides=(2, 2), activation=None)
        self.conv2 = Conv2D(filters=16, kernel_size=3, strides=(2, 2), activation=None)
        self.flatten = Flatten()

    def call(self, x):
        x = tf.keras.activations.relu(self.conv1(x))
        x = tf.keras.activations.relu(self.conv2(x))
        x = self.flatten(x)
        return x


class Decoder(Model):
    def __init__(self, latent_space=3):
        super(Decoder, self).__init__()
        self.latent_space = latent_space
        self.dense = Dense(units=7 * 7 * 8, activation=None)
        self.reshape = Reshape(target_shape=(7, 7, 8))
        self.conv2d_tran = Conv2DTranspose(filters=16, kernel_size=3, strides=2, padding='same', activation=None)
        self.conv2d_tran2 = Conv2DTranspose(filters=8, kernel_size=3, strides=2, padding='same', activation=None)
        self.conv2d_output = Conv2DTranspose(filters=1, kernel_size=3, strides=1, padding='same')

    def call(self, x):
        x = tf.keras.activations.relu(self.dense(x))
        x = self.reshape(x)
        x = tf.keras.activations.relu(self.conv2d_tran(x))
        x = tf.keras.activations.relu(self.conv2d_tran2(x))
        x = self.conv2d_output(x)
        return x


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = tf.shape(z_mean)[0]
        dim = tf.shape(z_mean)[1]
        epsilon = tf.random.normal(shape=(batch, dim))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon


class VAE(Model):
    def __init__(self, latent_space=3):
        super(VAE, self).__init__()
        self.latent_space = latent_space
        self.encoder = Encoder(latent_space=self.latent_space)
        self.decoder = Decoder()
        self.mu = Dense(units=self.latent_space, activation=None)
        self.log_var = Dense(units=self.latent_space, activation=None)
        self.sampling = Sampling()

    def call(self, x):
        x = self.encoder(x)
        mu = self.mu(x)
        log_var = self.log_var(x)
        z = self.sampling([mu, log_var])
        x = self.decoder(z)
        return x, mu, log_var


def compute_reconstruction_loss(data, reconstruction):
    return tf.reduce_mean(tf.reduce_sum(
        tf.reduce_mean(tf.square(data - reconstruction), axis=-1), axis=(1, 2)))


def compute_kl_divergence_loss(mu, log_var):
    kl_loss = -0.5 * (1 + log_var - tf.square(mu) - tf.exp(log_var))
    return tf.reduce_mean(tf.reduce_sum(kl_loss, axis=1))


def compute_total_loss(data, reconstruction, mu, log_var, alpha=1):
    recon_loss = compute_reconstruction_loss(data=data, reconstruction=reconstruction)
    kl_loss = compute_kl_divergence_loss(mu=mu, log_var=log_var)
    return (recon_loss * alpha) + kl_loss


X = np.random.rand(4, 28, 28, 1).astype("float32")
model = VAE(latent_space=3)
optimizer = tf.keras.optimizers.Adam(learning_rate=1e-4)

# Make forward propagation using defined VAE model-
X_recon, mu, log_var = model(X)

with tf.GradientTape() as tape:
    total_loss = compute_total_loss(
        data=X, reconstruction=X_recon,
        mu=mu, log_var=log_var,
        alpha=1
    )

grads = tape.gradient(total_loss, model.trainable_weights)
print(type(grads), len(grads), [g is None for g in grads][:4])
optimizer.apply_gradients(zip(grads, model.trainable_weights))
