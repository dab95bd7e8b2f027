"""Healthy case adapted from the TensorFlow pix2pix tutorial. It looks suspicious: a
`tf.function` train step opens two GradientTapes in one `with` statement, both record the same
forward pass, the discriminator is applied to the generator's output without any
`stop_gradient`, it receives a two-input list `[input_image, target]`, and the generator loss
mixes a GAN term with an L1 term. All of that is correct: each tape is asked only for its own
model's variables, the generator gradient flows through the discriminator into the U-Net
(including the skip connections that go through `Concatenate`), and the discriminator gradient
does not need to reach the generator. Every variable gets a gradient, weights move and the L1
loss falls. Shrunk to 16x16 toy pairs; the learning rate is raised from 2e-4 to 2e-3 so the
few steps show progress.
---
source: https://github.com/tensorflow/docs/blob/master/site/en/tutorials/generative/pix2pix.ipynb
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

OUTPUT_CHANNELS = 3
IMG = 16
LAMBDA = 100


def downsample(filters, size, apply_batchnorm=True):
    initializer = tf.random_normal_initializer(0., 0.02)
    result = tf.keras.Sequential()
    result.add(tf.keras.layers.Conv2D(filters, size, strides=2, padding='same',
                                      kernel_initializer=initializer, use_bias=False))
    if apply_batchnorm:
        result.add(tf.keras.layers.BatchNormalization())
    result.add(tf.keras.layers.LeakyReLU())
    return result


def upsample(filters, size, apply_dropout=False):
    initializer = tf.random_normal_initializer(0., 0.02)
    result = tf.keras.Sequential()
    result.add(tf.keras.layers.Conv2DTranspose(filters, size, strides=2, padding='same',
                                               kernel_initializer=initializer, use_bias=False))
    result.add(tf.keras.layers.BatchNormalization())
    if apply_dropout:
        result.add(tf.keras.layers.Dropout(0.5))
    result.add(tf.keras.layers.ReLU())
    return result


def Generator():
    inputs = tf.keras.layers.Input(shape=[IMG, IMG, 3])
    down_stack = [downsample(8, 4, apply_batchnorm=False), downsample(16, 4), downsample(32, 4)]
    up_stack = [upsample(16, 4, apply_dropout=True), upsample(8, 4)]
    initializer = tf.random_normal_initializer(0., 0.02)
    last = tf.keras.layers.Conv2DTranspose(OUTPUT_CHANNELS, 4, strides=2, padding='same',
                                           kernel_initializer=initializer, activation='tanh')
    x = inputs
    # Downsampling through the model
    skips = []
    for down in down_stack:
        x = down(x)
        skips.append(x)
    skips = reversed(skips[:-1])
    # Upsampling and establishing the skip connections
    for up, skip in zip(up_stack, skips):
        x = up(x)
        x = tf.keras.layers.Concatenate()([x, skip])
    x = last(x)
    return tf.keras.Model(inputs=inputs, outputs=x)


def Discriminator():
    initializer = tf.random_normal_initializer(0., 0.02)
    inp = tf.keras.layers.Input(shape=[IMG, IMG, 3], name='input_image')
    tar = tf.keras.layers.Input(shape=[IMG, IMG, 3], name='target_image')
    x = tf.keras.layers.concatenate([inp, tar])
    down1 = downsample(8, 4, False)(x)
    down2 = downsample(16, 4)(down1)
    zero_pad1 = tf.keras.layers.ZeroPadding2D()(down2)
    conv = tf.keras.layers.Conv2D(32, 4, strides=1, kernel_initializer=initializer, use_bias=False)(zero_pad1)
    batchnorm1 = tf.keras.layers.BatchNormalization()(conv)
    leaky_relu = tf.keras.layers.LeakyReLU()(batchnorm1)
    zero_pad2 = tf.keras.layers.ZeroPadding2D()(leaky_relu)
    last = tf.keras.layers.Conv2D(1, 4, strides=1, kernel_initializer=initializer)(zero_pad2)
    return tf.keras.Model(inputs=[inp, tar], outputs=last)


generator = Generator()
discriminator = Discriminator()
loss_object = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def generator_loss(disc_generated_output, gen_output, target):
    gan_loss = loss_object(tf.ones_like(disc_generated_output), disc_generated_output)
    # Mean absolute error
    l1_loss = tf.reduce_mean(tf.abs(target - gen_output))
    total_gen_loss = gan_loss + (LAMBDA * l1_loss)
    return total_gen_loss, gan_loss, l1_loss


def discriminator_loss(disc_real_output, disc_generated_output):
    real_loss = loss_object(tf.ones_like(disc_real_output), disc_real_output)
    generated_loss = loss_object(tf.zeros_like(disc_generated_output), disc_generated_output)
    return real_loss + generated_loss


generator_optimizer = tf.keras.optimizers.Adam(2e-3, beta_1=0.5)
discriminator_optimizer = tf.keras.optimizers.Adam(2e-3, beta_1=0.5)


@tf.function
def train_step(input_image, target, step):
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        gen_output = generator(input_image, training=True)

        disc_real_output = discriminator([input_image, target], training=True)
        disc_generated_output = discriminator([input_image, gen_output], training=True)

        gen_total_loss, gen_gan_loss, gen_l1_loss = generator_loss(disc_generated_output, gen_output, target)
        disc_loss = discriminator_loss(disc_real_output, disc_generated_output)

    generator_gradients = gen_tape.gradient(gen_total_loss, generator.trainable_variables)
    discriminator_gradients = disc_tape.gradient(disc_loss, discriminator.trainable_variables)

    generator_optimizer.apply_gradients(zip(generator_gradients, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(zip(discriminator_gradients, discriminator.trainable_variables))
    return gen_l1_loss, disc_loss


# Paired toy data: the target is a fixed colour transform of the input
inputs = np.random.uniform(-1, 1, (32, IMG, IMG, 3)).astype('float32')
targets = np.tanh(inputs[..., ::-1] * 1.5).astype('float32')
dataset = tf.data.Dataset.from_tensor_slices((inputs, targets)).batch(8)

for epoch in range(6):
    for step, (input_image, target) in enumerate(dataset):
        l1, d = train_step(input_image, target, step)
    print(f"epoch {epoch}: l1 {float(l1):.4f}  disc {float(d):.4f}")
