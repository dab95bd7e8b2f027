"""A GAN written as a subclassed keras.Model: inside train_step the fake samples
are pulled to NumPy (to clip them) before the discriminator scores them.

---
framework: both
outcome: error
cause: numpy_conversion
line: 39
variables: [g_hidden, g_out]
"""
import numpy as np
import tensorflow as tf

LATENT = 8


class GAN(tf.keras.Model):
    def __init__(self, generator, discriminator, **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)

    def compile(self, g_opt, d_opt):
        super().compile()
        self.g_opt, self.d_opt = g_opt, d_opt

    def train_step(self, real):
        batch = tf.shape(real)[0]
        noise = tf.random.normal((batch, LATENT))
        with tf.GradientTape() as d_tape:
            real_score = self.discriminator(real, training=True)
            fake_score = self.discriminator(self.generator(noise), training=True)
            d_loss = self.bce(tf.ones_like(real_score), real_score) + self.bce(tf.zeros_like(fake_score), fake_score)
        d_vars = self.discriminator.trainable_variables
        self.d_opt.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars))
        with tf.GradientTape() as g_tape:
            # Keep the generated samples in range before scoring them.
            fake = np.clip(self.generator(noise, training=True).numpy(), -3.0, 3.0)
            fake_score = self.discriminator(fake, training=False)
            g_loss = self.bce(tf.ones_like(fake_score), fake_score)
        g_vars = self.generator.trainable_variables
        self.g_opt.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars))
        return {"d_loss": d_loss, "g_loss": g_loss}


generator = tf.keras.Sequential(
    [tf.keras.Input((LATENT,)), tf.keras.layers.Dense(16, activation="relu", name="g_hidden"),
     tf.keras.layers.Dense(2, name="g_out")], name="generator")
discriminator = tf.keras.Sequential(
    [tf.keras.Input((2,)), tf.keras.layers.Dense(16, activation="relu", name="d_hidden"),
     tf.keras.layers.Dense(1, name="d_out")], name="discriminator")
gan = GAN(generator, discriminator, name="gan")
gan.compile(tf.keras.optimizers.Adam(1e-3), tf.keras.optimizers.Adam(1e-3))
real = np.random.normal(size=(64, 2)).astype("float32")
gan.fit(real, epochs=1, batch_size=16, verbose=0)
print("trained")
