"""Healthy program. A small VAE trained with `model.fit` and KL-term annealing,
following the recipe from the thread: declare the KL weight as a backend
variable *before* the loss function, write a custom loss `reconstruction +
kl_weight * KL`, compile with it, and let a callback raise the weight after each
epoch (`kl_weight.assign(...)`, the TF2 spelling of `K.set_value`). The KL weight
is deliberately not trainable: it is a schedule, changed only by the callback,
and it is read inside the loss so each epoch trains with the current value. The
encoder, the sampling `Lambda` and the decoder all receive gradients; loss falls
and the weight climbs 0 -> 1. (Dense VAE on random 8-d data instead of images.)
---
source: https://github.com/keras-team/keras/issues/13826
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)
original_dim, latent_dim, epochs = 8, 2, 5

kl_weight = tf.Variable(0.0, trainable=False, name="kl_weight")


def sampling(args):
    z_mean, z_log_var = args
    eps = tf.random.normal(tf.shape(z_mean))
    return z_mean + tf.exp(0.5 * z_log_var) * eps


x_in = keras.Input(shape=(original_dim,), name="encoder_input")
h = layers.Dense(16, activation="relu", name="enc_hidden")(x_in)
z_mean = layers.Dense(latent_dim, name="z_mean")(h)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
z = layers.Lambda(sampling, name="z")([z_mean, z_log_var])
d = layers.Dense(16, activation="relu", name="dec_hidden")(z)
x_hat = layers.Dense(original_dim, name="x_hat")(d)
vae_out = layers.Concatenate(name="vae_out")([x_hat, z_mean, z_log_var])
vae = keras.Model(x_in, vae_out, name="vae")


def vae_loss(y_true, y_pred):
    rec = y_pred[:, :original_dim]
    zm = y_pred[:, original_dim:original_dim + latent_dim]
    zlv = y_pred[:, original_dim + latent_dim:]
    rec_loss = tf.reduce_sum(tf.square(y_true - rec), axis=-1)
    kl_loss = -0.5 * tf.reduce_sum(1 + zlv - tf.square(zm) - tf.exp(zlv), axis=-1)
    return rec_loss + kl_weight * kl_loss


class KLAnnealing(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        kl_weight.assign(min(1.0, (epoch + 1) / (epochs - 1)))


data = np.random.rand(256, original_dim).astype("float32")
vae.compile(optimizer=keras.optimizers.Adam(0.01), loss=vae_loss)
before = [v.numpy().copy() for v in vae.trainable_variables]
hist = vae.fit(data, data, batch_size=32, epochs=epochs, verbose=0,
               callbacks=[KLAnnealing()])
changed = [not np.allclose(b, v.numpy()) for b, v in zip(before, vae.trainable_variables)]
print("loss:", [round(v, 3) for v in hist.history["loss"]])
print("kl_weight:", float(kl_weight.numpy()))
print("all trainable variables updated:", all(changed), len(changed))
