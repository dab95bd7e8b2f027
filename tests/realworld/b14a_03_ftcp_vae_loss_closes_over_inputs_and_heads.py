"""FTCP (PV-Lab) crystal VAE with a property-regression branch, model.py/main.py: the builder
function `FTCP(X_train, y_train, coeffs)` creates a Conv1D encoder (`z_mean`, `z_log_var`,
reparameterised `z`), a target-learning branch `y_hat` on `z_mean`, a Conv2DTranspose decoder,
the two-input model `VAE([encoder_inputs, regression_inputs]) -> reconstructed_outputs`, and
returns the nested closure `vae_loss(x, decoded_x)`, which main.py passes to `VAE.compile`.
That closure ignores its arguments entirely: the reconstruction, KL and property terms are all
built from tensors of the enclosing scope (`encoder_inputs`, `reconstructed_outputs`,
`z_mean`, `z_log_var`, `regression_inputs`, `y_hat`), i.e. the symbolic KerasTensors of the
functional graph, not the tensors of the forward pass that `fit` records, so no term of the
loss is connected to the weights (the regression head `prop_*` is reachable only through it).
tf.keras 2.x fails in `VAE.fit` with "TypeError: You are passing KerasTensor(... 'tf.cast_2' ...),
an intermediate Keras symbolic input/output, to a TF API that does not allow registering custom
dispatchers"; Keras 3 fails in the same `fit`, at the first term, with "A KerasTensor cannot be
used as input to a TensorFlow function". Fix: compute these terms from the current call, e.g.
a layer taking `[encoder_inputs, regression_inputs, z_mean, z_log_var, y_hat, outputs]` that
calls `add_loss`, and compile with `loss=None` (or a custom `train_step`).
---
source: https://github.com/PV-Lab/FTCP/issues/10
framework: both
outcome: error
cause: outside_tape
also: [disconnected]
line: [107, 108, 109]
variables: [z_mean/kernel, z_log_var/kernel, prop_dense1/kernel, prop_dense2/kernel, prop_out/kernel]
xfail: {keras2: "under tf-keras the error is raised in Keras' loss code after the loss returned, so the run sees neither the closure nor `self` that hold the captured tensors: the cause and the line come from reading the code, the variables are not found"}
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Input, Dense, Lambda, Conv1D, Conv2DTranspose, \
    LeakyReLU, Activation, Flatten, Reshape, BatchNormalization
from tensorflow.keras.models import Model
from tensorflow.keras import optimizers


def FTCP(X_train, y_train, coeffs=(2, 10,), prop_dim=None):

    K.clear_session()
    coeff_KL, coeff_prop = coeffs

    latent_dim = 8
    max_filters = 16
    filter_size = [5, 3, 3]
    strides = [2, 2, 1]

    input_dim = X_train.shape[1]
    channel_dim = X_train.shape[2]
    regression_dim = y_train.shape[1]

    encoder_inputs = Input(shape=(input_dim, channel_dim,))
    regression_inputs = Input(shape=(regression_dim,))

    x = Conv1D(max_filters//4, filter_size[0], strides=strides[0], padding='SAME', name='enc_conv1')(encoder_inputs)
    x = BatchNormalization()(x)
    x = LeakyReLU(0.2)(x)
    x = Conv1D(max_filters//2, filter_size[1], strides=strides[1], padding='SAME', name='enc_conv2')(x)
    x = BatchNormalization()(x)
    x = LeakyReLU(0.2)(x)
    x = Conv1D(max_filters, filter_size[2], strides=strides[2], padding='SAME', name='enc_conv3')(x)
    x = BatchNormalization()(x)
    x = LeakyReLU(0.2)(x)
    x = Flatten()(x)
    x = Dense(32, activation='sigmoid', name='enc_dense')(x)
    z_mean = Dense(latent_dim, activation='linear', name='z_mean')(x)
    z_log_var = Dense(latent_dim, activation='linear', name='z_log_var')(x)

    def sampling(args):
        z_mean, z_log_var = args
        epsilon = K.random_normal(shape=(K.shape(z_mean)[0], latent_dim), mean=0, stddev=1)
        return z_mean+K.exp(z_log_var/2)*epsilon

    # Reparameterization
    z = Lambda(sampling, output_shape=(latent_dim,))([z_mean, z_log_var])
    encoder = Model(encoder_inputs, z, name='encoder')

    x = Activation('relu')(z_mean)
    x = Dense(16, activation="relu", name='prop_dense1')(x)
    x = Dense(8, activation="relu", name='prop_dense2')(x)
    y_hat = Dense(regression_dim, activation='sigmoid', name='prop_out')(x)
    regression = Model(encoder_inputs, y_hat, name='target-learning_branch')

    latent_inputs = Input(shape=(latent_dim,))
    map_size = K.int_shape(encoder.layers[-6].output)[1]
    x = Dense(max_filters*map_size, activation='relu', name='dec_dense')(latent_inputs)
    x = Reshape((map_size, 1, max_filters))(x)
    x = BatchNormalization()(x)
    x = Conv2DTranspose(max_filters//2, (filter_size[2], 1), strides=(strides[2], 1),
                        padding='SAME', name='dec_convt1')(x)
    x = BatchNormalization()(x)
    x = Activation('relu')(x)
    x = Conv2DTranspose(max_filters//4, (filter_size[1], 1), strides=(strides[1], 1),
                        padding='SAME', name='dec_convt2')(x)
    x = BatchNormalization()(x)
    x = Activation('relu')(x)
    x = Conv2DTranspose(channel_dim, (filter_size[0], 1), strides=(strides[0], 1),
                        padding='SAME', name='dec_convt3')(x)
    x = Activation('sigmoid')(x)
    decoder_outputs = Lambda(lambda x: K.squeeze(x, axis=2))(x)
    decoder = Model(latent_inputs, decoder_outputs, name='decoder')

    reconstructed_outputs = decoder(z)
    VAE = Model(inputs=[encoder_inputs, regression_inputs], outputs=reconstructed_outputs)

    def vae_loss(x, decoded_x):
        loss_recon = K.sum(K.square(encoder_inputs - reconstructed_outputs))
        loss_KL = -0.5 * K.mean(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        loss_prop = K.sum(K.square(regression_inputs[:, :prop_dim] - y_hat))
        vae_loss = K.mean(loss_recon + coeff_KL*loss_KL + coeff_prop*loss_prop)
        return vae_loss

    return VAE, encoder, decoder, regression, vae_loss


# random stand-in for the FTCP representation (16 rows x 4 channels) and 2 scaled properties
X_train = np.random.rand(64, 16, 4).astype('float32')
y_train = np.random.rand(64, 2).astype('float32')

# Get model
VAE, encoder, decoder, regression, vae_loss = FTCP(X_train, y_train, coeffs=(2, 10,))
VAE.compile(optimizer=optimizers.RMSprop(learning_rate=5e-4), loss=vae_loss)
history = VAE.fit([X_train, y_train],
                  X_train,
                  shuffle=True,
                  batch_size=32,
                  epochs=2,
                  verbose=0)
print("loss per epoch:", history.history['loss'])
