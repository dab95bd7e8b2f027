"""Generative Deep Learning (D. Foster) VAE, 03_05_VAE_faces_train: a plain Python class
`VariationalAutoencoder` builds the encoder in `_build()` and stores the encoder's symbolic
outputs as attributes `self.mu` and `self.log_var`; its own `compile()` method defines the
closures `vae_r_loss`, `vae_kl_loss` and `vae_loss` and passes them to `self.model.compile`
as the loss and as metrics, then `train()` calls `model.fit(x, x)`. `vae_kl_loss` ignores its
`(y_true, y_pred)` arguments and reads `self.mu`/`self.log_var`: symbolic KerasTensors of the
functional graph, not tensors of the forward pass that `fit` records on its tape, so the KL
term is cut off from the `mu`/`log_var` layers that compute those tensors.
tf.keras 2.x rejects it in `fit` with "TypeError: You are passing KerasTensor(... 'tf.cast_2'
...), an intermediate Keras symbolic input/output, to a TF API that does
not allow registering custom dispatchers, such as `tf.cond`, `tf.function`, gradient tapes";
Keras 3 fails in the same `fit`, at the KL line, with "A KerasTensor cannot be used as input
to a TensorFlow function". Fix (the book's 2nd edition): compute the KL term in a layer/`train_step` from
the `mu`, `log_var` tensors of the current call, e.g. a `Sampling` layer with `add_loss`.
---
source: https://github.com/davidADSP/GDL_code/issues/100
framework: both
outcome: error
cause: outside_tape
also: [disconnected]
line: 123
variables: [mu/kernel, mu/bias, log_var/kernel, log_var/bias]
xfail: {keras2: "under tf-keras the error is raised in Keras' loss code after the loss returned, so the run sees neither the closure nor `self` that hold the captured tensors: the cause and the line come from reading the code, the variables are not found"}
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.keras.layers import Input, Conv2D, Flatten, Dense, Conv2DTranspose, Reshape, Lambda, Activation, LeakyReLU
from tensorflow.keras.models import Model
from tensorflow.keras import backend as K
from tensorflow.keras.optimizers import Adam


class VariationalAutoencoder():
    def __init__(self
        , input_dim
        , encoder_conv_filters
        , encoder_conv_kernel_size
        , encoder_conv_strides
        , decoder_conv_t_filters
        , decoder_conv_t_kernel_size
        , decoder_conv_t_strides
        , z_dim
        ):
        self.name = 'variational_autoencoder'
        self.input_dim = input_dim
        self.encoder_conv_filters = encoder_conv_filters
        self.encoder_conv_kernel_size = encoder_conv_kernel_size
        self.encoder_conv_strides = encoder_conv_strides
        self.decoder_conv_t_filters = decoder_conv_t_filters
        self.decoder_conv_t_kernel_size = decoder_conv_t_kernel_size
        self.decoder_conv_t_strides = decoder_conv_t_strides
        self.z_dim = z_dim
        self.n_layers_encoder = len(encoder_conv_filters)
        self.n_layers_decoder = len(decoder_conv_t_filters)
        self._build()

    def _build(self):
        ### THE ENCODER
        encoder_input = Input(shape=self.input_dim, name='encoder_input')
        x = encoder_input
        for i in range(self.n_layers_encoder):
            conv_layer = Conv2D(
                filters=self.encoder_conv_filters[i]
                , kernel_size=self.encoder_conv_kernel_size[i]
                , strides=self.encoder_conv_strides[i]
                , padding='same'
                , name='encoder_conv_' + str(i)
                )
            x = conv_layer(x)
            x = LeakyReLU()(x)

        shape_before_flattening = K.int_shape(x)[1:]
        x = Flatten()(x)
        self.mu = Dense(self.z_dim, name='mu')(x)
        self.log_var = Dense(self.z_dim, name='log_var')(x)

        self.encoder_mu_log_var = Model(encoder_input, (self.mu, self.log_var))

        def sampling(args):
            mu, log_var = args
            epsilon = K.random_normal(shape=K.shape(mu), mean=0., stddev=1.)
            return mu + K.exp(log_var / 2) * epsilon

        encoder_output = Lambda(sampling, name='encoder_output')([self.mu, self.log_var])
        self.encoder = Model(encoder_input, encoder_output)

        ### THE DECODER
        decoder_input = Input(shape=(self.z_dim,), name='decoder_input')
        x = Dense(int(np.prod(shape_before_flattening)), name='decoder_dense')(decoder_input)
        x = Reshape(shape_before_flattening)(x)
        for i in range(self.n_layers_decoder):
            conv_t_layer = Conv2DTranspose(
                filters=self.decoder_conv_t_filters[i]
                , kernel_size=self.decoder_conv_t_kernel_size[i]
                , strides=self.decoder_conv_t_strides[i]
                , padding='same'
                , name='decoder_conv_t_' + str(i)
                )
            x = conv_t_layer(x)
            if i < self.n_layers_decoder - 1:
                x = LeakyReLU()(x)
            else:
                x = Activation('sigmoid')(x)
        decoder_output = x
        self.decoder = Model(decoder_input, decoder_output)

        ### THE FULL VAE
        model_input = encoder_input
        model_output = self.decoder(encoder_output)
        self.model = Model(model_input, model_output)

    def compile(self, learning_rate, r_loss_factor):
        self.learning_rate = learning_rate

        ### COMPILATION
        def vae_r_loss(y_true, y_pred):
            r_loss = K.mean(K.square(y_true - y_pred), axis=[1, 2, 3])
            return r_loss_factor * r_loss

        def vae_kl_loss(y_true, y_pred):
            kl_loss = -0.5 * K.sum(1 + self.log_var - K.square(self.mu) - K.exp(self.log_var), axis=1)
            return kl_loss

        def vae_loss(y_true, y_pred):
            r_loss = vae_r_loss(y_true, y_pred)
            kl_loss = vae_kl_loss(y_true, y_pred)
            return r_loss + kl_loss

        optimizer = Adam(learning_rate=learning_rate)
        self.model.compile(optimizer=optimizer, loss=vae_loss, metrics=[vae_r_loss, vae_kl_loss])

    def train(self, x_train, batch_size, epochs):
        history = self.model.fit(x_train, x_train, batch_size=batch_size, shuffle=True,
                                 epochs=epochs, verbose=0)
        print("loss per epoch:", history.history['loss'])


# random "CelebA" faces, shrunk to 16x16x3
x_train = np.random.rand(64, 16, 16, 3).astype('float32')

vae = VariationalAutoencoder(
    input_dim=(16, 16, 3)
    , encoder_conv_filters=[8, 16]
    , encoder_conv_kernel_size=[3, 3]
    , encoder_conv_strides=[2, 2]
    , decoder_conv_t_filters=[8, 3]
    , decoder_conv_t_kernel_size=[3, 3]
    , decoder_conv_t_strides=[2, 2]
    , z_dim=4
)
vae.compile(learning_rate=0.0005, r_loss_factor=10000)
vae.train(x_train, batch_size=16, epochs=2)
