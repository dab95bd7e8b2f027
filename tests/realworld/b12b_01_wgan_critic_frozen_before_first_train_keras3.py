"""A WGAN for synth presets (jakespracher/ml-synth-preset-generator, presetml/generation/gan.py,
itself taken from the machinelearningmastery WGAN recipe): `define_critic` compiles the critic,
then `define_gan` sets `d_model.trainable = False` before building and compiling the combined
generator+critic model, and the training loop alternates `c_model.train_on_batch(...)` on
real/fake samples with `gan_model.train_on_batch(...)`. The issue reports that the critic is
"marked as non-trainable" and that the port fails with "none of the 16 variables is trainable";
removing the `critic.trainable = False` line makes the critic train. Under Keras 3 the Python code
behaves the same way: the trainable flag is read when the critic's train function is first built
(at its first `train_on_batch`, after `define_gan` froze it), so Keras only warns "The model does
not have any trainable weights" and the critic's weights never change, while the generator
trains against a frozen random critic. tf-keras snapshots the flag at `compile()` and trains the
critic. Fix: set `d_model.trainable = True` before the critic updates (and False for the
generator update), or freeze the critic only inside the combined model.
---
source: https://github.com/jakespracher/ml-synth-preset-generator/issues/1
framework: keras3
outcome: trains_silently
cause: frozen_model
line: 114
variables: [critic_dense_0/kernel, critic_dense_1/kernel, critic_out/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from dataclasses import dataclass, field
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.optimizers import RMSprop
from tensorflow.keras.models import Sequential, Model
from tensorflow.keras.layers import Dense, Input, LeakyReLU, Dropout, GaussianNoise
from tensorflow.keras.initializers import RandomNormal
from tensorflow.keras.constraints import Constraint
tf.keras.utils.set_random_seed(0)


# presetml/generation/util.py
def wasserstein_loss(y_true, y_pred):
    return K.mean(y_true * y_pred)


class ClipConstraint(Constraint):
    def __init__(self, clip_value):
        self.clip_value = clip_value

    def __call__(self, weights):
        return tf.clip_by_value(weights, -self.clip_value, self.clip_value)

    def get_config(self):
        return {'clip_value': self.clip_value}


# presetml/datatypes.py (shrunk)
@dataclass
class DiscriminatorParameters:
    input_noise_stdev: float = 0.05
    relu_alpha: float = 0.2
    dropout: float = 0.1
    layer_size: int = 32
    hidden_layers: int = 1
    learning_rate: float = 0.00005


@dataclass
class GeneratorParameters:
    latent_dim: int = 8
    relu_alpha: float = 0.2
    dropout: float = 0.1
    layer_size: int = 32
    hidden_layers: int = 1


@dataclass
class GANConfig:
    discriminator_parameters: DiscriminatorParameters = field(default_factory=DiscriminatorParameters)
    generator_parameters: GeneratorParameters = field(default_factory=GeneratorParameters)
    batch_size: int = 32
    num_epochs: int = 2
    discriminator_update_multiplier: int = 5


def define_critic(in_dim, parameters):
    in_preset = Input(shape=(in_dim,))
    noisy_input = GaussianNoise(parameters.discriminator_parameters.input_noise_stdev)(in_preset)
    init = RandomNormal(stddev=0.02)
    const = ClipConstraint(0.01)
    model = Dense(parameters.discriminator_parameters.layer_size, kernel_initializer=init,
                  kernel_constraint=const, name="critic_dense_0")(noisy_input)
    model = LeakyReLU(parameters.discriminator_parameters.relu_alpha)(model)
    model = Dropout(parameters.discriminator_parameters.dropout)(model)
    for i in range(parameters.discriminator_parameters.hidden_layers):
        model = Dense(parameters.discriminator_parameters.layer_size, kernel_initializer=init,
                      kernel_constraint=const, name=f"critic_dense_{i + 1}")(model)
        model = LeakyReLU(parameters.discriminator_parameters.relu_alpha)(model)
        model = Dropout(parameters.discriminator_parameters.dropout)(model)
    model = Dense(1, activation='linear', name="critic_out")(model)
    model = Model(in_preset, model, name="critic")
    opt = RMSprop(learning_rate=parameters.discriminator_parameters.learning_rate)
    model.compile(loss=wasserstein_loss, optimizer=opt)
    return model


def define_generator(out_dim, parameters):
    latent_input = Input(shape=(parameters.generator_parameters.latent_dim,))
    init = RandomNormal(stddev=0.02)
    model = Dense(parameters.generator_parameters.layer_size, kernel_initializer=init,
                  name="gen_dense_0")(latent_input)
    model = LeakyReLU(parameters.generator_parameters.relu_alpha)(model)
    model = Dropout(parameters.generator_parameters.dropout)(model)
    model = Dense(out_dim, kernel_initializer=init, activation='tanh', name="gen_out")(model)
    return Model(latent_input, model, name="generator")


def define_gan(g_model, d_model, config, learning_rate=0.00005):
    # make weights in the discriminator not trainable
    d_model.trainable = False
    model = Sequential()
    model.add(g_model)
    model.add(d_model)
    opt = RMSprop(learning_rate=learning_rate)
    model.compile(loss=wasserstein_loss, optimizer=opt)
    return model


def build_gan(data_len, config):
    d_model = define_critic(in_dim=data_len, parameters=config)
    g_model = define_generator(out_dim=data_len, parameters=config)
    gan_model = define_gan(g_model, d_model, config=config)
    return d_model, g_model, gan_model


def _generate_real_samples(vectors, n_samples):
    ix = np.random.randint(0, vectors.shape[0], n_samples)
    return vectors[ix], -np.ones((n_samples, 1))


def _generate_latent_points(latent_dim, n_samples):
    return np.random.randn(latent_dim * n_samples).reshape(n_samples, latent_dim)


def generate_fake_samples(g_model, latent_dim, n_samples):
    lat_input = _generate_latent_points(latent_dim, n_samples)
    gen_vectors = g_model.predict(lat_input, verbose=0)
    return gen_vectors, np.ones((n_samples, 1))


def _run_epoch(c_model, config, g_model, gan_model, half_batch, vectors):
    c_real_losses, c_fake_losses = [], []
    for _ in range(config.discriminator_update_multiplier):
        real_vectors, real_labels = _generate_real_samples(vectors, half_batch)
        c_real_losses.append(c_model.train_on_batch(real_vectors, real_labels))
        gen_vectors, fake_labels = generate_fake_samples(
            g_model, config.generator_parameters.latent_dim, half_batch)
        c_fake_losses.append(c_model.train_on_batch(gen_vectors, fake_labels))
    gan_input = _generate_latent_points(config.generator_parameters.latent_dim, half_batch)
    g_loss = gan_model.train_on_batch(gan_input, -np.ones((half_batch, 1)))
    return np.mean(c_real_losses), np.mean(c_fake_losses), g_loss


def train(g_model, c_model, gan_model, vectors, config):
    bat_per_epo = int(vectors.shape[0] / config.batch_size)
    n_steps = bat_per_epo * config.num_epochs
    half_batch = int(config.batch_size / 2)
    for i in range(n_steps):
        c_real, c_fake, g_loss = _run_epoch(c_model, config, g_model, gan_model, half_batch, vectors)
        print('>%d, c_real=%.5f, c_fake=%.5f gen=%.5f' % (i + 1, c_real, c_fake, float(np.ravel(g_loss)[0])))


config = GANConfig()
vectors = np.random.uniform(-1, 1, size=(128, 16)).astype("float32")
d_model, g_model, gan_model = build_gan(data_len=vectors.shape[1], config=config)
critic_before = [w.copy() for w in d_model.get_weights()]
gen_before = [w.copy() for w in g_model.get_weights()]
train(g_model, d_model, gan_model, vectors, config)
print("critic weights changed:", any(not np.allclose(a, b) for a, b in zip(critic_before, d_model.get_weights())))
print("generator weights changed:", any(not np.allclose(a, b) for a, b in zip(gen_before, g_model.get_weights())))
