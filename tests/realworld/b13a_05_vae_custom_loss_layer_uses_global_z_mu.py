"""MNIST variational autoencoder from bnsreenu/python_for_microscopists (the video-178
VAE, itself in the lineage of Chollet's `CustomVariationalLayer`): the encoder produces
the module-level tensors `z_mu`, `z_sigma`; the loss lives in a helper method
`CustomLayer.vae_loss(self, x, z_decoded)` which adds the KL term computed from those
*global* encoder tensors rather than from the layer's inputs, and `call()` registers it
with `self.add_loss(loss, inputs=inputs)`; `vae.compile(optimizer='adam', loss=None)`.
The KL term is therefore built from tensors of a forward pass that is not the layer's
own (the functional graph's symbolic outputs captured from module scope), so it is not
connected to the computation the layer records; current tf.keras rejects it with
"TypeError: You are passing KerasTensor(... 'tf.math.reduce_...') an intermediate Keras
symbolic input/output, to a TF API that does not allow registering custom dispatchers,
such as tf.cond, tf.function, gradient tapes ...". The fix given in the thread: pass
`z_mu` and `z_sigma` into `CustomLayer` as inputs and compute the KL term from them.
---
source: https://github.com/bnsreenu/python_for_microscopists/issues/32
framework: keras2
outcome: error
cause: outside_tape
also: [disconnected]
line: [76, 89]
variables: [latent_mu/kernel, latent_mu/bias, latent_sigma/kernel, latent_sigma/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow import keras
from tensorflow.keras.layers import Conv2D, Conv2DTranspose, Input, Flatten, Dense, Lambda, Reshape
from tensorflow.keras.models import Model
from tensorflow.keras import backend as K

# random "MNIST": 64 images of 8x8, values in [0, 1]
x_train = np.random.rand(64, 8, 8, 1).astype('float32')
img_width, img_height, num_channels = 8, 8, 1
input_shape = (img_height, img_width, num_channels)
latent_dim = 2

# ENCODER
input_img = Input(shape=input_shape, name='encoder_input')
x = Conv2D(8, 3, padding='same', activation='relu')(input_img)
x = Conv2D(16, 3, padding='same', activation='relu', strides=(2, 2))(x)
conv_shape = K.int_shape(x)
x = Flatten()(x)
x = Dense(16, activation='relu')(x)
z_mu = Dense(latent_dim, name='latent_mu')(x)
z_sigma = Dense(latent_dim, name='latent_sigma')(x)


def sample_z(args):
    z_mu, z_sigma = args
    eps = K.random_normal(shape=(K.shape(z_mu)[0], K.int_shape(z_mu)[1]))
    return z_mu + K.exp(z_sigma / 2) * eps


z = Lambda(sample_z, output_shape=(latent_dim, ), name='z')([z_mu, z_sigma])
encoder = Model(input_img, [z_mu, z_sigma, z], name='encoder')

# DECODER
decoder_input = Input(shape=(latent_dim, ), name='decoder_input')
x = Dense(conv_shape[1] * conv_shape[2] * conv_shape[3], activation='relu')(decoder_input)
x = Reshape((conv_shape[1], conv_shape[2], conv_shape[3]))(x)
x = Conv2DTranspose(16, 3, padding='same', activation='relu', strides=(2, 2))(x)
x = Conv2DTranspose(num_channels, 3, padding='same', activation='sigmoid', name='decoder_output')(x)
decoder = Model(decoder_input, x, name='decoder')
z_decoded = decoder(z)


class CustomLayer(keras.layers.Layer):

    def vae_loss(self, x, z_decoded):
        x = K.flatten(x)
        z_decoded = K.flatten(z_decoded)
        # Reconstruction loss (as we used sigmoid activation we can use binarycrossentropy)
        recon_loss = keras.metrics.binary_crossentropy(x, z_decoded)
        # KL divergence
        kl_loss = -5e-4 * K.mean(1 + z_sigma - K.square(z_mu) - K.exp(z_sigma), axis=-1)
        return K.mean(recon_loss + kl_loss)

    # add custom loss to the class
    def call(self, inputs):
        x = inputs[0]
        z_decoded = inputs[1]
        loss = self.vae_loss(x, z_decoded)
        self.add_loss(loss, inputs=inputs)
        return x


# apply the custom loss to the input images and the decoded latent distribution sample
y = CustomLayer()([input_img, z_decoded])

vae = Model(input_img, y, name='vae')
vae.compile(optimizer='adam', loss=None)
history = vae.fit(x_train, None, epochs=2, batch_size=16, verbose=0)
print("loss", history.history['loss'])
