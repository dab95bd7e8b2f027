"""GauGAN (keras.io example) trained with a custom `train_step`: an encoder maps the real image to
(mean, variance), a sampler draws the latent, and the SPADE generator plus a frozen-discriminator
`combined_model` give the generator losses (adversarial, feature matching, KL). Issue #796 (and
tf2_gans#14) reported that the encoder never trains: the generator gradients were taken only
for `combined_model.trainable_variables`, which does not contain the encoder. The fix merged for
it, kept here, adds `self.encoder.trainable_variables` to the sources, but the encoder still
gets no gradient: `train_step` runs `self.encoder(image)` and the sampler before
`train_generator` opens its tape, so `latent_vector`, `mean` and `variance` reach the tape as
constants. The optimizer warns that gradients do not exist for the encoder variables and the
encoder keeps its initial weights. The encoder call belongs inside the generator's tape.
(Shapes are small; the VGG perceptual loss, which needs downloaded weights, is left out.)
---
source: https://github.com/keras-team/keras-io/issues/796
framework: both
outcome: warning
cause: outside_tape
line: 228
variables: [encoder_down, mean/kernel, mean/bias, variance/kernel, variance/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)

IMG_HEIGHT = 16
NUM_CLASSES = 3
BATCH_SIZE = 2
LATENT_DIM = 8


class SPADE(layers.Layer):
    def __init__(self, filters, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon
        self.conv = layers.Conv2D(16, 3, padding="same", activation="relu")
        self.conv_gamma = layers.Conv2D(filters, 3, padding="same")
        self.conv_beta = layers.Conv2D(filters, 3, padding="same")

    def build(self, input_shape):
        self.resize_shape = input_shape[1:3]

    def call(self, input_tensor, raw_mask):
        mask = tf.image.resize(raw_mask, self.resize_shape, method="nearest")
        x = self.conv(mask)
        gamma = self.conv_gamma(x)
        beta = self.conv_beta(x)
        mean, var = tf.nn.moments(input_tensor, axes=(0, 1, 2), keepdims=True)
        std = tf.sqrt(var + self.epsilon)
        normalized = (input_tensor - mean) / std
        output = gamma * normalized + beta
        return output


class ResBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters

    def build(self, input_shape):
        input_filter = input_shape[-1]
        self.spade_1 = SPADE(input_filter)
        self.spade_2 = SPADE(self.filters)
        self.conv_1 = layers.Conv2D(self.filters, 3, padding="same")
        self.conv_2 = layers.Conv2D(self.filters, 3, padding="same")

    def call(self, input_tensor, mask):
        x = self.spade_1(input_tensor, mask)
        x = self.conv_1(tf.nn.leaky_relu(x, 0.2))
        x = self.spade_2(x, mask)
        x = self.conv_2(tf.nn.leaky_relu(x, 0.2))
        return input_tensor + x


class GaussianSampler(layers.Layer):
    def __init__(self, batch_size, latent_dim, **kwargs):
        super().__init__(**kwargs)
        self.batch_size = batch_size
        self.latent_dim = latent_dim

    def call(self, inputs):
        means, variance = inputs
        epsilon = tf.random.normal(
            shape=(self.batch_size, self.latent_dim), mean=0.0, stddev=1.0
        )
        samples = means + tf.exp(0.5 * variance) * epsilon
        return samples


def downsample(channels, kernels, strides=2, apply_norm=True, apply_activation=True,
               name=None):  # name: added here so the variable paths are stable
    block = keras.Sequential()
    block.add(layers.Conv2D(channels, kernels, strides=strides, padding="same",
                            use_bias=False, name=name and name + "_conv"))
    if apply_norm:  # tfa InstanceNormalization in the example
        block.add(layers.GroupNormalization(groups=-1, name=name and name + "_norm"))
    if apply_activation:
        block.add(layers.LeakyReLU(0.2))
    return block


def build_encoder(image_shape, encoder_downsample_factor=8, latent_dim=LATENT_DIM):
    input_image = keras.Input(shape=image_shape)
    x = downsample(encoder_downsample_factor, 3, apply_norm=False,
                   name="encoder_down1")(input_image)
    x = downsample(2 * encoder_downsample_factor, 3, name="encoder_down2")(x)
    x = layers.Flatten()(x)
    mean = layers.Dense(latent_dim, name="mean")(x)
    variance = layers.Dense(latent_dim, name="variance")(x)
    return keras.Model(input_image, [mean, variance], name="encoder")


def build_generator(mask_shape, latent_dim=LATENT_DIM):
    latent = keras.Input(shape=(latent_dim,))
    mask = keras.Input(shape=mask_shape)
    x = layers.Dense(4 * 4 * 32)(latent)
    x = layers.Reshape((4, 4, 32))(x)
    x = ResBlock(filters=32)(x, mask)
    x = layers.UpSampling2D((2, 2))(x)
    x = ResBlock(filters=32)(x, mask)
    x = layers.UpSampling2D((2, 2))(x)
    x = layers.LeakyReLU(0.2)(x)
    output_image = layers.Conv2D(3, 4, padding="same", activation="tanh")(x)
    return keras.Model([latent, mask], output_image, name="generator")


def build_discriminator(image_shape, downsample_factor=8):
    input_image_A = keras.Input(shape=image_shape, name="discriminator_image_A")
    input_image_B = keras.Input(shape=image_shape, name="discriminator_image_B")
    x = layers.Concatenate()([input_image_A, input_image_B])
    x1 = downsample(downsample_factor, 4, apply_norm=False)(x)
    x2 = downsample(2 * downsample_factor, 4)(x1)
    x3 = layers.Conv2D(1, 4)(x2)
    outputs = [x1, x2, x3]
    return keras.Model([input_image_A, input_image_B], outputs, name="discriminator")


def generator_loss(y):
    return -tf.reduce_mean(y)


def kl_divergence_loss(mean, variance):
    return -0.5 * tf.reduce_sum(1 + variance - tf.square(mean) - tf.exp(variance))


def feature_matching_loss(y_true, y_pred):
    loss = 0
    for i in range(len(y_true) - 1):
        loss += tf.reduce_mean(tf.abs(y_true[i] - y_pred[i]))
    return loss


def discriminator_loss(y, is_real):
    label = 1.0 if is_real else -1.0
    return tf.reduce_mean(tf.maximum(1.0 - label * y, 0.0))  # hinge


class GauGAN(keras.Model):
    def __init__(self, image_size, num_classes, batch_size, latent_dim,
                 feature_loss_coeff=10, kl_divergence_loss_coeff=0.1, **kwargs):
        super().__init__(**kwargs)
        self.image_size = image_size
        self.latent_dim = latent_dim
        self.batch_size = batch_size
        self.image_shape = (image_size, image_size, 3)
        self.mask_shape = (image_size, image_size, num_classes)
        self.feature_loss_coeff = feature_loss_coeff
        self.kl_divergence_loss_coeff = kl_divergence_loss_coeff

        self.discriminator = build_discriminator(self.image_shape)
        self.generator = build_generator(self.mask_shape)
        self.encoder = build_encoder(self.image_shape)
        self.sampler = GaussianSampler(batch_size, latent_dim)
        self.combined_model = self.build_combined_generator()

    def build_combined_generator(self):
        self.discriminator.trainable = False
        mask_input = keras.Input(shape=self.mask_shape, name="mask")
        image_input = keras.Input(shape=self.image_shape, name="image")
        latent_input = keras.Input(shape=(self.latent_dim,), name="latent")
        generated_image = self.generator([latent_input, mask_input])
        discriminator_output = self.discriminator([image_input, generated_image])
        return keras.Model([latent_input, mask_input, image_input],
                           [discriminator_output, generated_image])

    def compile(self, gen_lr=1e-4, disc_lr=4e-4, **kwargs):
        super().compile(**kwargs)
        self.generator_optimizer = keras.optimizers.Adam(gen_lr, beta_1=0.0, beta_2=0.999)
        self.discriminator_optimizer = keras.optimizers.Adam(disc_lr, beta_1=0.0, beta_2=0.999)

    def train_discriminator(self, latent_vector, segmentation_map, real_image, labels):
        fake_images = self.generator([latent_vector, labels])
        self.discriminator.trainable = True
        with tf.GradientTape() as gradient_tape:
            pred_fake = self.discriminator([segmentation_map, fake_images])[-1]
            pred_real = self.discriminator([segmentation_map, real_image])[-1]
            total_loss = 0.5 * (discriminator_loss(pred_fake, False)
                                + discriminator_loss(pred_real, True))
        gradients = gradient_tape.gradient(total_loss, self.discriminator.trainable_variables)
        self.discriminator_optimizer.apply_gradients(
            zip(gradients, self.discriminator.trainable_variables))
        return total_loss

    def train_generator(self, latent_vector, segmentation_map, labels, image, mean, variance):
        self.discriminator.trainable = False
        with tf.GradientTape() as tape:
            real_d_output = self.discriminator([segmentation_map, image])
            fake_d_output, fake_image = self.combined_model(
                [latent_vector, labels, segmentation_map])
            pred = fake_d_output[-1]
            g_loss = generator_loss(pred)
            kl_loss = self.kl_divergence_loss_coeff * kl_divergence_loss(mean, variance)
            feature_loss = self.feature_loss_coeff * feature_matching_loss(
                real_d_output, fake_d_output)
            total_loss = g_loss + kl_loss + feature_loss

        all_trainable_variables = (
            self.combined_model.trainable_variables + self.encoder.trainable_variables
        )
        gradients = tape.gradient(total_loss, all_trainable_variables)
        self.generator_optimizer.apply_gradients(zip(gradients, all_trainable_variables))
        return total_loss, feature_loss, kl_loss

    def train_step(self, data):
        segmentation_map, image, labels = data
        mean, variance = self.encoder(image)
        latent_vector = self.sampler([mean, variance])
        discriminator_loss = self.train_discriminator(
            latent_vector, segmentation_map, image, labels)
        generator_loss, feature_loss, kl_loss = self.train_generator(
            latent_vector, segmentation_map, labels, image, mean, variance)
        return {"disc_loss": discriminator_loss, "gen_loss": generator_loss,
                "feat_loss": feature_loss, "kl_loss": kl_loss}

    def call(self, inputs):
        latent_vectors, labels = inputs
        return self.generator([latent_vectors, labels])


rng = np.random.default_rng(0)
n = 2 * BATCH_SIZE
segmentation_maps = rng.uniform(-1, 1, (n, IMG_HEIGHT, IMG_HEIGHT, 3)).astype("float32")
images = rng.uniform(-1, 1, (n, IMG_HEIGHT, IMG_HEIGHT, 3)).astype("float32")
label_ids = rng.integers(0, NUM_CLASSES, (n, IMG_HEIGHT, IMG_HEIGHT))
labels = np.eye(NUM_CLASSES, dtype="float32")[label_ids]
train_dataset = tf.data.Dataset.from_tensor_slices(
    (segmentation_maps, images, labels)).batch(BATCH_SIZE, drop_remainder=True)

gaugan = GauGAN(IMG_HEIGHT, NUM_CLASSES, BATCH_SIZE, latent_dim=LATENT_DIM)
gaugan.compile()
encoder_before = [w.copy() for w in gaugan.encoder.get_weights()]
generator_before = [w.copy() for w in gaugan.generator.get_weights()]
history = gaugan.fit(train_dataset, epochs=1, verbose=0)
print("gen_loss:", round(float(history.history["gen_loss"][-1]), 3))
print("encoder weights changed:",
      any(not np.array_equal(a, b) for a, b in zip(encoder_before, gaugan.encoder.get_weights())))
print("generator weights changed:",
      any(not np.array_equal(a, b) for a, b in zip(generator_before, gaugan.generator.get_weights())))
