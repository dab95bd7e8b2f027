"""A user experimenting with the Keras example variational_autoencoder.py changed the last line of
its loss, `def vae_loss(x, x_decoded_mean): ... return xent_loss + kl_loss`, to `return kl_loss`
to train on the KL term alone, and Keras failed with "An operation has `None` for gradient".
The reason: `vae_loss` still receives the decoder output `x_decoded_mean` but no longer uses it; the
KL term only depends on `z_mean` / `z_log_var`, i.e. on the encoder. The decoder layers
(`decoder_h`, `decoder_mean`) then have no path to the loss and get a None gradient. Old Keras
raised; current Keras filters the Nones and warns "Gradients do not exist for variables ...", and
the decoder never trains. Fix: keep the reconstruction term (`return xent_loss + kl_loss`), or
do not ask for gradients of decoder variables when training on the KL alone. The example's
`vae.compile(loss=vae_loss)` closure over symbolic `z_mean` tensors no longer works in TF2, so the
step is written as a GradientTape loop calling the same `vae_loss(x, x_decoded_mean)`.
---
source: https://github.com/keras-team/keras/issues/4508
framework: both
outcome: warning
cause: unused_variable
static: false
line: [37, 40, 36, 58, 68]
variables: [decoder_h, decoder_mean]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense, Lambda
from tensorflow.keras.models import Model

tf.keras.utils.set_random_seed(0)

batch_size = 16
original_dim = 64
latent_dim = 2
intermediate_dim = 32
epsilon_std = 1.0


def vae_loss(x, x_decoded_mean):
    xent_loss = original_dim * tf.reduce_mean(
        tf.keras.losses.binary_crossentropy(x, x_decoded_mean))
    kl_loss = - 0.5 * tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), axis=-1)
    return kl_loss


def sampling(args):
    z_mean, z_log_var = args
    epsilon = tf.random.normal(shape=tf.shape(z_mean), mean=0., stddev=epsilon_std)
    return z_mean + tf.exp(z_log_var / 2) * epsilon


x = Input(shape=(original_dim,))
h = Dense(intermediate_dim, activation='relu', name='encoder_h')(x)
z_mean_t = Dense(latent_dim, name='z_mean')(h)
z_log_var_t = Dense(latent_dim, name='z_log_var')(h)
z = Lambda(sampling, output_shape=(latent_dim,))([z_mean_t, z_log_var_t])

decoder_h = Dense(intermediate_dim, activation='relu', name='decoder_h')
decoder_mean = Dense(original_dim, activation='sigmoid', name='decoder_mean')
h_decoded = decoder_h(z)
x_decoded_mean_t = decoder_mean(h_decoded)

vae = Model(x, [x_decoded_mean_t, z_mean_t, z_log_var_t])
optimizer = tf.keras.optimizers.RMSprop(1e-3)

x_train = (np.random.rand(64, original_dim) > 0.5).astype('float32')
for epoch in range(2):
    for i in range(0, len(x_train), batch_size):
        x_batch = x_train[i:i + batch_size]
        with tf.GradientTape() as tape:
            x_decoded_mean, z_mean, z_log_var = vae(x_batch)
            loss = tf.reduce_mean(vae_loss(x_batch, x_decoded_mean))
        grads = tape.gradient(loss, vae.trainable_variables)
        optimizer.apply_gradients(zip(grads, vae.trainable_variables))
    print("epoch", epoch, "loss", float(loss))
