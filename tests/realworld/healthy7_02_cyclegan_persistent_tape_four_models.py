"""Healthy: CycleGAN training step adapted from the keras.io CycleGAN example
(tiny conv generators and PatchGAN-style discriminators, random 32x32 images
instead of horse2zebra, no InstanceNorm). Tricky but correct: one persistent
`GradientTape` records the forward passes of four models; each of the four
losses is differentiated only with respect to the model it trains (the
generators' losses also run through the discriminators, whose gradients are not
requested there), and four optimizers apply the four gradient lists inside a
custom `train_step` compiled by `fit()`.

---
source: https://keras.io/examples/generative/cyclegan/
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras
layers = keras.layers
IMG = (32, 32, 3)


def get_generator(name):
    inp = layers.Input(shape=IMG)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu")(x)
    out = layers.Conv2D(3, 3, padding="same", activation="tanh")(x)
    return keras.Model(inp, out, name=name)


def get_discriminator(name):
    inp = layers.Input(shape=IMG)
    x = layers.Conv2D(16, 4, strides=2, padding="same")(inp)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(32, 4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    out = layers.Conv2D(1, 4, padding="same")(x)
    return keras.Model(inp, out, name=name)


class CycleGan(keras.Model):
    def __init__(self, generator_G, generator_F, discriminator_X, discriminator_Y,
                 lambda_cycle=10.0, lambda_identity=0.5):
        super().__init__()
        self.gen_G = generator_G
        self.gen_F = generator_F
        self.disc_X = discriminator_X
        self.disc_Y = discriminator_Y
        self.lambda_cycle = lambda_cycle
        self.lambda_identity = lambda_identity

    def call(self, inputs):
        return self.gen_G(inputs)

    def compile(self, gen_G_optimizer, gen_F_optimizer, disc_X_optimizer,
                disc_Y_optimizer, gen_loss_fn, disc_loss_fn):
        super().compile()
        self.gen_G_optimizer = gen_G_optimizer
        self.gen_F_optimizer = gen_F_optimizer
        self.disc_X_optimizer = disc_X_optimizer
        self.disc_Y_optimizer = disc_Y_optimizer
        self.generator_loss_fn = gen_loss_fn
        self.discriminator_loss_fn = disc_loss_fn
        self.cycle_loss_fn = keras.losses.MeanAbsoluteError()
        self.identity_loss_fn = keras.losses.MeanAbsoluteError()

    def train_step(self, batch_data):
        real_x, real_y = batch_data
        with tf.GradientTape(persistent=True) as tape:
            fake_y = self.gen_G(real_x, training=True)
            fake_x = self.gen_F(real_y, training=True)
            cycled_x = self.gen_F(fake_y, training=True)
            cycled_y = self.gen_G(fake_x, training=True)
            same_x = self.gen_F(real_x, training=True)
            same_y = self.gen_G(real_y, training=True)

            disc_real_x = self.disc_X(real_x, training=True)
            disc_fake_x = self.disc_X(fake_x, training=True)
            disc_real_y = self.disc_Y(real_y, training=True)
            disc_fake_y = self.disc_Y(fake_y, training=True)

            gen_G_loss = self.generator_loss_fn(disc_fake_y)
            gen_F_loss = self.generator_loss_fn(disc_fake_x)
            cycle_loss_G = self.cycle_loss_fn(real_y, cycled_y) * self.lambda_cycle
            cycle_loss_F = self.cycle_loss_fn(real_x, cycled_x) * self.lambda_cycle
            id_loss_G = self.identity_loss_fn(real_y, same_y) * self.lambda_cycle * self.lambda_identity
            id_loss_F = self.identity_loss_fn(real_x, same_x) * self.lambda_cycle * self.lambda_identity
            total_loss_G = gen_G_loss + cycle_loss_G + id_loss_G
            total_loss_F = gen_F_loss + cycle_loss_F + id_loss_F

            disc_X_loss = self.discriminator_loss_fn(disc_real_x, disc_fake_x)
            disc_Y_loss = self.discriminator_loss_fn(disc_real_y, disc_fake_y)

        grads_G = tape.gradient(total_loss_G, self.gen_G.trainable_variables)
        grads_F = tape.gradient(total_loss_F, self.gen_F.trainable_variables)
        disc_X_grads = tape.gradient(disc_X_loss, self.disc_X.trainable_variables)
        disc_Y_grads = tape.gradient(disc_Y_loss, self.disc_Y.trainable_variables)
        del tape

        self.gen_G_optimizer.apply_gradients(zip(grads_G, self.gen_G.trainable_variables))
        self.gen_F_optimizer.apply_gradients(zip(grads_F, self.gen_F.trainable_variables))
        self.disc_X_optimizer.apply_gradients(zip(disc_X_grads, self.disc_X.trainable_variables))
        self.disc_Y_optimizer.apply_gradients(zip(disc_Y_grads, self.disc_Y.trainable_variables))
        return {"G_loss": total_loss_G, "F_loss": total_loss_F,
                "D_X_loss": disc_X_loss, "D_Y_loss": disc_Y_loss}


adv_loss_fn = keras.losses.MeanSquaredError()


def generator_loss_fn(fake):
    return adv_loss_fn(tf.ones_like(fake), fake)


def discriminator_loss_fn(real, fake):
    real_loss = adv_loss_fn(tf.ones_like(real), real)
    fake_loss = adv_loss_fn(tf.zeros_like(fake), fake)
    return (real_loss + fake_loss) * 0.5


rng = np.random.default_rng(0)
domain_x = rng.uniform(-1, 0.2, size=(64,) + IMG).astype("float32")
domain_y = rng.uniform(-0.2, 1, size=(64,) + IMG).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((domain_x, domain_y)).batch(8)

cycle_gan_model = CycleGan(get_generator("generator_G"), get_generator("generator_F"),
                           get_discriminator("discriminator_X"), get_discriminator("discriminator_Y"))
cycle_gan_model.compile(
    gen_G_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    gen_F_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    disc_X_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    disc_Y_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    gen_loss_fn=generator_loss_fn,
    disc_loss_fn=discriminator_loss_fn,
)
history = cycle_gan_model.fit(dataset, epochs=4, verbose=0, shuffle=False)
for key in ("G_loss", "F_loss", "D_X_loss", "D_Y_loss"):
    print(key, [round(float(v), 4) for v in history.history[key]])
