"""GauGAN (tf2_gans, also the keras.io GauGAN example it follows): an encoder maps
the real image to (mean, variance), a sampler draws the latent vector, the
generator turns latent + segmentation labels into an image and a patch
discriminator judges it. `train_step` calls `self.encoder(image)` and the sampler
first, then `train_discriminator` and `train_generator`, each with its own
GradientTape; the generator step differentiates with respect to
`self.combined_model.trainable_variables` only. A user reports that "the encoder
trainable_variables never get updated" (the encoder is not part of the
combined model). Training runs and the losses move, but the encoder (and so the
KL term) never learns: its forward pass ran before any tape was opened, and its
variables are not among the sources either. Fix: run the encoder and sampler
inside the generator's tape and add `self.encoder.trainable_variables` to the
sources (adding them to `apply_gradients` alone, as the first patch did, is not
enough). Shrunk: tiny networks, no VGG loss, random masks/images.
---
source: https://github.com/soumik12345/tf2_gans/issues/14
framework: both
outcome: trains_silently
cause: outside_tape
line: [163, 157]
also: [untracked_variable]
variables: [enc_conv/kernel, enc_mean/kernel, enc_variance/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, Input, Model, optimizers

tf.keras.utils.set_random_seed(0)
IMG, NUM_CLASSES, LATENT, BATCH = 16, 3, 8, 8


class GaussianSampler(layers.Layer):
    def __init__(self, batch_size, latent_dim, **kwargs):
        super().__init__(**kwargs)
        self.batch_size, self.latent_dim = batch_size, latent_dim

    def call(self, inputs):
        means, variance = inputs
        epsilon = tf.random.normal(shape=(self.batch_size, self.latent_dim))
        return means + tf.exp(0.5 * variance) * epsilon


def build_encoder(image_shape, latent_dim):
    x_in = Input(shape=image_shape)
    x = layers.Conv2D(16, 3, strides=2, padding="same", name="enc_conv")(x_in)
    x = layers.LeakyReLU(0.2)(layers.Flatten()(x))
    mean = layers.Dense(latent_dim, name="enc_mean")(x)
    variance = layers.Dense(latent_dim, name="enc_variance")(x)
    return Model(x_in, [mean, variance], name="encoder")


def build_generator(mask_shape, latent_dim):
    latent = Input(shape=(latent_dim,))
    mask = Input(shape=mask_shape)
    x = layers.Reshape((4, 4, 8))(layers.Dense(4 * 4 * 8, name="gen_dense")(latent))
    x = layers.UpSampling2D(4)(x)
    x = layers.Concatenate()([x, mask])
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="gen_conv")(x)
    out = layers.Conv2D(3, 3, padding="same", activation="tanh", name="gen_out")(x)
    return Model([latent, mask], out, name="generator")


def build_discriminator(image_shape):
    a, b = Input(shape=image_shape), Input(shape=image_shape)
    x = layers.Concatenate()([a, b])
    x1 = layers.LeakyReLU(0.2)(layers.Conv2D(16, 4, strides=2, padding="same", name="disc_conv1")(x))
    x2 = layers.LeakyReLU(0.2)(layers.Conv2D(32, 4, strides=2, padding="same", name="disc_conv2")(x1))
    x3 = layers.Conv2D(1, 4, padding="same", name="disc_out")(x2)
    return Model([a, b], [x1, x2, x3], name="discriminator")


def generator_loss(y):
    return -tf.reduce_mean(y)


def kl_divergence_loss(mean, variance):
    return -0.5 * tf.reduce_sum(1 + variance - tf.square(mean) - tf.exp(variance))


class DiscriminatorLoss:
    def __init__(self):
        self.hinge_loss = keras.losses.Hinge()

    def __call__(self, y, is_real):
        label = 1.0 if is_real else -1.0
        return self.hinge_loss(label, y)


class FeatureMatchingLoss:
    def __init__(self):
        self.mae = keras.losses.MeanAbsoluteError()

    def __call__(self, y_true, y_pred):
        loss = 0
        for i in range(len(y_true) - 1):
            loss += self.mae(y_true[i], y_pred[i])
        return loss


class GauGAN(Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.image_shape = (IMG, IMG, 3)
        self.mask_shape = (IMG, IMG, NUM_CLASSES)
        self.discriminator = build_discriminator(self.image_shape)
        self.generator = build_generator(self.mask_shape, LATENT)
        self.encoder = build_encoder(self.image_shape, LATENT)
        self.sampler = GaussianSampler(BATCH, LATENT)
        self.combined_model = self.build_combined_generator()
        self.disc_loss_tracker = keras.metrics.Mean(name="disc_loss")
        self.gen_loss_tracker = keras.metrics.Mean(name="gen_loss")

    @property
    def metrics(self):
        return [self.disc_loss_tracker, self.gen_loss_tracker]

    def build_combined_generator(self):
        self.discriminator.trainable = False
        mask_input = Input(shape=self.mask_shape, name="mask")
        image_input = Input(shape=self.image_shape, name="image")
        latent_input = Input(shape=(LATENT,), name="latent")
        generated_image = self.generator([latent_input, mask_input])
        discriminator_output = self.discriminator([image_input, generated_image])
        return Model([latent_input, mask_input, image_input], [discriminator_output, generated_image])

    def compile(self, gen_lr=1e-4, disc_lr=4e-4, **kwargs):
        super().compile(**kwargs)
        self.generator_optimizer = optimizers.Adam(gen_lr, beta_1=0.0, beta_2=0.999)
        self.discriminator_optimizer = optimizers.Adam(disc_lr, beta_1=0.0, beta_2=0.999)
        self.discriminator_loss = DiscriminatorLoss()
        self.feature_matching_loss = FeatureMatchingLoss()

    def train_discriminator(self, latent_vector, segmentation_map, real_image, labels):
        fake_images = self.generator([latent_vector, labels])
        with tf.GradientTape() as gradient_tape:
            pred_fake = self.discriminator([segmentation_map, fake_images])[-1]
            pred_real = self.discriminator([segmentation_map, real_image])[-1]
            total_loss = 0.5 * (self.discriminator_loss(pred_fake, False)
                                + self.discriminator_loss(pred_real, True))
        self.discriminator.trainable = True
        gradients = gradient_tape.gradient(total_loss, self.discriminator.trainable_variables)
        self.discriminator_optimizer.apply_gradients(zip(gradients, self.discriminator.trainable_variables))
        return total_loss

    def train_generator(self, latent_vector, segmentation_map, labels, image, mean, variance):
        self.discriminator.trainable = False
        with tf.GradientTape() as tape:
            real_d_output = self.discriminator([segmentation_map, image])
            fake_d_output, fake_image = self.combined_model([latent_vector, labels, segmentation_map])
            pred = fake_d_output[-1]
            g_loss = generator_loss(pred)
            kl_loss = 0.1 * kl_divergence_loss(mean, variance)
            feature_loss = 10.0 * self.feature_matching_loss(real_d_output, fake_d_output)
            total_loss = g_loss + kl_loss + feature_loss
        gradients = tape.gradient(total_loss, self.combined_model.trainable_variables)
        self.generator_optimizer.apply_gradients(zip(gradients, self.combined_model.trainable_variables))
        return total_loss

    def train_step(self, data):
        segmentation_map, image, labels = data
        mean, variance = self.encoder(image)
        latent_vector = self.sampler([mean, variance])
        discriminator_loss = self.train_discriminator(latent_vector, segmentation_map, image, labels)
        generator_loss_value = self.train_generator(latent_vector, segmentation_map, labels, image, mean, variance)
        self.disc_loss_tracker.update_state(discriminator_loss)
        self.gen_loss_tracker.update_state(generator_loss_value)
        return {m.name: m.result() for m in self.metrics}


n = 32
segmentation_map = np.random.rand(n, IMG, IMG, 3).astype("float32") * 2 - 1
image = np.random.rand(n, IMG, IMG, 3).astype("float32") * 2 - 1
labels = np.eye(NUM_CLASSES, dtype="float32")[np.random.randint(0, NUM_CLASSES, (n, IMG, IMG))]
ds = tf.data.Dataset.from_tensor_slices((segmentation_map, image, labels)).batch(BATCH, drop_remainder=True)

gaugan = GauGAN()
gaugan.compile()
enc_before = [w.copy() for w in gaugan.encoder.get_weights()]
gen_before = [w.copy() for w in gaugan.generator.get_weights()]
print("encoder variables:", [getattr(v, "path", v.name) for v in gaugan.encoder.trainable_variables])
hist = gaugan.fit(ds, epochs=2, verbose=0)
print({k: [round(float(x), 4) for x in v] for k, v in hist.history.items()})
print("encoder weights changed:", any(np.any(a != b) for a, b in zip(enc_before, gaugan.encoder.get_weights())))
print("generator weights changed:", any(np.any(a != b) for a, b in zip(gen_before, gaugan.generator.get_weights())))
