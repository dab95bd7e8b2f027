"""DeepProfile (suinleelab) VAE on gene-expression PCs, Run_VAE_Models / VAE_3Layers_Model.py:
a three-layer encoder (Dense + BatchNormalization + ReLU) gives the module-level tensors
`z_mean`, `z_log_var`; the module-level loss `vae_loss(x_input, x_decoded)` adds
`K.get_value(beta) * kl_loss`, where the KL term reads those *global* encoder tensors, and
`kl_loss(x_input, x_decoded)` is also passed as a metric; a `WarmUpCallback` bumps the
Keras variable `beta` after every epoch. The globals are symbolic KerasTensors of the
functional graph, not tensors of the forward pass that `fit` records, so the KL term is cut
off from the `z_mean`/`z_log_var` layers that compute them. Reported with TF 2.18 / Keras 3.7: `fit` fails inside `vae_loss` with "ValueError:
Tried to convert 'x' to a tensor and failed. Error: A KerasTensor cannot be used as input to
a TensorFlow function"; tf.keras 2 fails in the same `fit` with "You are passing
KerasTensor(...) an intermediate Keras symbolic input/output, to a TF API that does not allow
registering custom dispatchers". (The user's workaround, `disable_eager_execution()`, only
brings back the TF1 graph where the globals are real tensors.) Fix: compute the KL term from
the layer inputs in a sampling layer with `add_loss`, or in a custom `train_step`.
---
source: https://github.com/suinleelab/deepprofile-study/issues/2
framework: both
outcome: error
cause: outside_tape
also: [disconnected]
line: [45, 54]
variables: [z_mean/kernel, z_mean/bias, z_log_var/kernel, z_log_var/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.keras.layers import Input, Dense, Lambda, Activation, BatchNormalization
from tensorflow.keras.models import Model
from tensorflow.keras import backend as K
from tensorflow.keras import metrics, optimizers
from tensorflow.keras.callbacks import Callback


# Method for reparameterization trick to make model differentiable
def sampling(args):
    z_mean, z_log_var = args
    epsilon = K.random_normal(shape=K.shape(z_mean), mean=0., stddev=1.0)
    z = z_mean + K.exp(z_log_var / 2) * epsilon
    return z

#Method for defining the VAE loss
def vae_loss(x_input, x_decoded):
    reconstruction_loss = original_dim * metrics.mse(x_input, x_decoded)
    kl_loss = - 0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
    return K.mean(reconstruction_loss + (K.get_value(beta) * kl_loss))

#Method for calculating the reconstruction loss
def reconstruction_loss(x_input, x_decoded):
    return metrics.mse(x_input, x_decoded)

#Method for calculating the KL-divergence loss
def kl_loss(x_input, x_decoded):
    return - 0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)

class WarmUpCallback(Callback):
    def __init__(self, beta, kappa):
        super().__init__()
        self.beta = beta
        self.kappa = kappa

    # Behavior on each epoch
    def on_epoch_end(self, epoch, logs={}):
        if K.get_value(self.beta) <= 1:
            K.set_value(self.beta, K.get_value(self.beta) + self.kappa)


# random stand-in for the "PANCREAS" top-1000-PC table: 200 samples x 50 PCs
input_df_training = np.random.randn(200, 50).astype('float32')

original_dim = input_df_training.shape[1]
intermediate1_dim = 16
intermediate2_dim = 8
latent_dim = 4

init_mode = 'glorot_uniform'
batch_size = 50
epochs = 3
learning_rate = 0.0005
beta = K.variable(1)
kappa = 0

#Define encoder
x = Input(shape=(original_dim, ))
net = Dense(intermediate1_dim, kernel_initializer=init_mode, name='enc_dense1')(x)
net2 = BatchNormalization(name='enc_bn1')(net)
net3 = Activation('relu')(net2)
net4 = Dense(intermediate2_dim, kernel_initializer=init_mode, name='enc_dense2')(net3)
net5 = BatchNormalization(name='enc_bn2')(net4)
net6 = Activation('relu')(net5)
z_mean = Dense(latent_dim, kernel_initializer=init_mode, name='z_mean')(net6)
z_log_var = Dense(latent_dim, kernel_initializer=init_mode, name='z_log_var')(net6)

# Sample from mean and var
z = Lambda(sampling, output_shape=(latent_dim,), name='z')([z_mean, z_log_var])

#Define decoder
decoder_h = Dense(intermediate2_dim, activation='relu', kernel_initializer=init_mode, name='dec_dense1')
decoder_h2 = Dense(intermediate1_dim, activation='relu', kernel_initializer=init_mode, name='dec_dense2')
decoder_mean = Dense(original_dim, kernel_initializer=init_mode, name='dec_mean')
h_decoded = decoder_h(z)
h_decoded2 = decoder_h2(h_decoded)
x_decoded_mean = decoder_mean(h_decoded2)

#VAE model
vae = Model(x, x_decoded_mean)
adam = optimizers.Adam(learning_rate=learning_rate)
vae.compile(optimizer=adam, loss=vae_loss, metrics=[reconstruction_loss, kl_loss])

#Train model
history = vae.fit(input_df_training, input_df_training,
                  shuffle=True,
                  epochs=epochs,
                  batch_size=batch_size,
                  verbose=0,
                  callbacks=[WarmUpCallback(beta, kappa)])
print("loss per epoch:", history.history['loss'])
