"""TensorFlow CycleGAN tutorial: one persistent GradientTape records both generators and
both discriminators (adversarial, cycle-consistency and identity losses); four
tape.gradient calls then update four optimizers. Every network trains.

---
source: https://github.com/tensorflow/docs/blob/master/site/en/tutorials/generative/cyclegan.ipynb
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace

LAMBDA = 10
loss_obj = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def small_generator(name):
    inp = tf.keras.Input((8, 8, 3))
    x = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
    out = tf.keras.layers.Conv2D(3, 3, padding="same", activation="tanh")(x)
    return tf.keras.Model(inp, out, name=name)


def small_discriminator(name):
    inp = tf.keras.Input((8, 8, 3))
    x = tf.keras.layers.Conv2D(8, 3, strides=2, padding="same")(inp)
    x = tf.keras.layers.LeakyReLU()(x)
    out = tf.keras.layers.Conv2D(1, 3, padding="same")(x)
    return tf.keras.Model(inp, out, name=name)


def discriminator_loss(real, generated):
    real_loss = loss_obj(tf.ones_like(real), real)
    generated_loss = loss_obj(tf.zeros_like(generated), generated)
    return (real_loss + generated_loss) * 0.5


def generator_loss(generated):
    return loss_obj(tf.ones_like(generated), generated)


def calc_cycle_loss(real_image, cycled_image):
    return LAMBDA * tf.reduce_mean(tf.abs(real_image - cycled_image))


def identity_loss(real_image, same_image):
    return LAMBDA * 0.5 * tf.reduce_mean(tf.abs(real_image - same_image))


generator_g, generator_f = small_generator("generator_g"), small_generator("generator_f")
discriminator_x, discriminator_y = small_discriminator("discriminator_x"), small_discriminator("discriminator_y")
generator_g_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
generator_f_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
discriminator_x_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
discriminator_y_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)


@tf.function
def train_step(real_x, real_y):
    with tf.GradientTape(persistent=True) as tape:
        fake_y = generator_g(real_x, training=True)
        cycled_x = generator_f(fake_y, training=True)
        fake_x = generator_f(real_y, training=True)
        cycled_y = generator_g(fake_x, training=True)
        same_x = generator_f(real_x, training=True)
        same_y = generator_g(real_y, training=True)
        disc_real_x = discriminator_x(real_x, training=True)
        disc_real_y = discriminator_y(real_y, training=True)
        disc_fake_x = discriminator_x(fake_x, training=True)
        disc_fake_y = discriminator_y(fake_y, training=True)
        gen_g_loss = generator_loss(disc_fake_y)
        gen_f_loss = generator_loss(disc_fake_x)
        total_cycle_loss = calc_cycle_loss(real_x, cycled_x) + calc_cycle_loss(real_y, cycled_y)
        total_gen_g_loss = gen_g_loss + total_cycle_loss + identity_loss(real_y, same_y)
        total_gen_f_loss = gen_f_loss + total_cycle_loss + identity_loss(real_x, same_x)
        disc_x_loss = discriminator_loss(disc_real_x, disc_fake_x)
        disc_y_loss = discriminator_loss(disc_real_y, disc_fake_y)

    generator_g_gradients = tape.gradient(total_gen_g_loss, generator_g.trainable_variables)
    generator_f_gradients = tape.gradient(total_gen_f_loss, generator_f.trainable_variables)
    discriminator_x_gradients = tape.gradient(disc_x_loss, discriminator_x.trainable_variables)
    discriminator_y_gradients = tape.gradient(disc_y_loss, discriminator_y.trainable_variables)
    generator_g_optimizer.apply_gradients(zip(generator_g_gradients, generator_g.trainable_variables))
    generator_f_optimizer.apply_gradients(zip(generator_f_gradients, generator_f.trainable_variables))
    discriminator_x_optimizer.apply_gradients(zip(discriminator_x_gradients, discriminator_x.trainable_variables))
    discriminator_y_optimizer.apply_gradients(zip(discriminator_y_gradients, discriminator_y.trainable_variables))
    return total_gen_g_loss


nets = (generator_g, generator_f, discriminator_x, discriminator_y)
tracked = [v for n in nets for v in n.trainable_variables]
before = [v.numpy().copy() for v in tracked]
train_horses = tf.data.Dataset.from_tensor_slices(np.random.uniform(-1, 1, (16, 8, 8, 3)).astype("float32")).batch(4)
train_zebras = tf.data.Dataset.from_tensor_slices(np.random.uniform(-1, 1, (16, 8, 8, 3)).astype("float32")).batch(4)
for epoch in range(2):
    for image_x, image_y in tf.data.Dataset.zip((train_horses, train_zebras)):
        loss = train_step(image_x, image_y)
    print("epoch", epoch, "gen_g_loss", float(loss))
changed = [not np.allclose(b, v.numpy()) for b, v in zip(before, tracked)]
assert all(changed), changed
print("ok")
