"""A small GAN whose generator never learns: its loss is built from discriminator.predict().

Run it under gradtrace to see why:  gradtrace run examples/gan_with_predict.py
"""
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
LATENT = 8

generator = tf.keras.Sequential([
    tf.keras.Input((LATENT,)),
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(2),
], name="generator")
discriminator = tf.keras.Sequential([
    tf.keras.Input((2,)),
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(1),
], name="discriminator")
bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
g_optimizer = tf.keras.optimizers.Adam(1e-3)
d_optimizer = tf.keras.optimizers.Adam(1e-3)


def real_batch(n=64):
    angles = np.random.uniform(0, 2 * np.pi, n)
    return np.stack([np.cos(angles), np.sin(angles)], axis=1).astype("float32")


def train_step(real):
    noise = tf.random.normal((len(real), LATENT))
    with tf.GradientTape() as d_tape:
        fake = generator(noise, training=True)
        real_score = discriminator(real, training=True)
        fake_score = discriminator(fake, training=True)
        d_loss = bce(tf.ones_like(real_score), real_score) + bce(tf.zeros_like(fake_score), fake_score)
    d_grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(d_grads, discriminator.trainable_variables))

    with tf.GradientTape() as g_tape:
        fake = generator(noise, training=True)
        fake_score = discriminator.predict(fake, verbose=0)
        g_loss = bce(tf.ones_like(fake_score), fake_score)
    g_grads = g_tape.gradient(g_loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(g_grads, generator.trainable_variables))
    return d_loss, g_loss


for step in range(100):
    d_loss, g_loss = train_step(real_batch())
    if step % 20 == 0:
        print(f"step {step}: d_loss {float(d_loss):.3f}  g_loss {float(g_loss):.3f}")
