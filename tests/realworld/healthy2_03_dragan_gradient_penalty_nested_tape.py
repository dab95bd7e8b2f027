"""GAN training loop with a gradient penalty (the DRAGAN configuration of commands.sh: `--adversarial_loss_mode=gan --gradient_penalty_mode=dragan`), adapted from LynnHo's DCGAN-LSGAN-WGAN-GP-DRAGAN-Tensorflow-2 (train.py, module.py and tf2gan/loss.py): a generator G and a discriminator D, each with its own Adam optimizer and its own `@tf.function` step. `train_D` calls `gradient_penalty`, which opens a second `tf.GradientTape` *inside* the outer one, `t.watch(x)`es the perturbed/interpolated images and takes `t.gradient(pred, x)`; the norm of that input gradient enters `D_loss`, so the outer tape differentiates through it (second order) to D's variables. `train_D` samples `x_fake = G(z)` but only asks for D's gradients, `train_G` only for G's; the loop also keeps an int64 `ep_cnt` variable bumped with `assign_add` and reads `D_optimizer.iterations.numpy()` to schedule G updates. (The wgan + wgan-gp configuration is not used because its loss `-mean(r_logit) + mean(f_logit)` gives D's final bias an exactly zero gradient, the two terms cancel.) The tfa LayerNormalization is replaced by Keras's, fashion-MNIST by random 32x32 images, width 8 instead of 64; two D steps and two G steps.
---
source: https://github.com/LynnHo/DCGAN-LSGAN-WGAN-GP-DRAGAN-Tensorflow-2/blob/master/train.py
framework: both
outcome: trains_fine
cause: none
line: 0
variables: []
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import functools
import types

import numpy as np
import tensorflow as tf
import tensorflow.keras as keras

tf.keras.utils.set_random_seed(0)

# ==============================================================================
# =                                  module.py                                 =
# ==============================================================================


def _get_norm_layer(norm):
    if norm == 'none':
        return lambda: lambda x: x
    elif norm == 'batch_norm':
        return keras.layers.BatchNormalization
    elif norm == 'layer_norm':
        return keras.layers.LayerNormalization


def ConvGenerator(input_shape=(1, 1, 128),
                  output_channels=3,
                  dim=64,
                  n_upsamplings=4,
                  norm='batch_norm',
                  name='ConvGenerator'):
    Norm = _get_norm_layer(norm)

    # 0
    h = inputs = keras.Input(shape=input_shape)

    # 1: 1x1 -> 4x4
    d = min(dim * 2 ** (n_upsamplings - 1), dim * 8)
    h = keras.layers.Conv2DTranspose(d, 4, strides=1, padding='valid', use_bias=False)(h)
    h = Norm()(h)
    h = keras.layers.ReLU()(h)

    # 2: upsamplings, 4x4 -> 8x8 -> 16x16 -> ...
    for i in range(n_upsamplings - 1):
        d = min(dim * 2 ** (n_upsamplings - 2 - i), dim * 8)
        h = keras.layers.Conv2DTranspose(d, 4, strides=2, padding='same', use_bias=False)(h)
        h = Norm()(h)
        h = keras.layers.ReLU()(h)

    h = keras.layers.Conv2DTranspose(output_channels, 4, strides=2, padding='same', use_bias=False)(h)
    h = keras.layers.Activation('tanh')(h)

    return keras.Model(inputs=inputs, outputs=h, name=name)


def ConvDiscriminator(input_shape=(64, 64, 3),
                      dim=64,
                      n_downsamplings=4,
                      norm='batch_norm',
                      name='ConvDiscriminator'):
    Norm = _get_norm_layer(norm)

    # 0
    h = inputs = keras.Input(shape=input_shape)

    # 1: downsamplings, ... -> 16x16 -> 8x8 -> 4x4
    h = keras.layers.Conv2D(dim, 4, strides=2, padding='same')(h)
    h = keras.layers.LeakyReLU(0.2)(h)

    for i in range(n_downsamplings - 1):
        d = min(dim * 2 ** (i + 1), dim * 8)
        h = keras.layers.Conv2D(d, 4, strides=2, padding='same', use_bias=False)(h)
        h = Norm()(h)
        h = keras.layers.LeakyReLU(0.2)(h)

    # 3: logit
    h = keras.layers.Conv2D(1, 4, strides=1, padding='valid')(h)

    return keras.Model(inputs=inputs, outputs=h, name=name)


# ==============================================================================
# =                                tf2gan/loss.py                              =
# ==============================================================================


def get_gan_losses_fn():
    bce = tf.losses.BinaryCrossentropy(from_logits=True)

    def d_loss_fn(r_logit, f_logit):
        r_loss = bce(tf.ones_like(r_logit), r_logit)
        f_loss = bce(tf.zeros_like(f_logit), f_logit)
        return r_loss, f_loss

    def g_loss_fn(f_logit):
        f_loss = bce(tf.ones_like(f_logit), f_logit)
        return f_loss

    return d_loss_fn, g_loss_fn


def get_wgan_losses_fn():
    def d_loss_fn(r_logit, f_logit):
        r_loss = - tf.reduce_mean(r_logit)
        f_loss = tf.reduce_mean(f_logit)
        return r_loss, f_loss

    def g_loss_fn(f_logit):
        f_loss = - tf.reduce_mean(f_logit)
        return f_loss

    return d_loss_fn, g_loss_fn


def get_adversarial_losses_fn(mode):
    if mode == 'gan':
        return get_gan_losses_fn()
    elif mode == 'wgan':
        return get_wgan_losses_fn()


def gradient_penalty(f, real, fake, mode):
    def _gradient_penalty(f, real, fake=None):
        def _interpolate(a, b=None):
            if b is None:   # interpolation in DRAGAN
                beta = tf.random.uniform(shape=tf.shape(a), minval=0., maxval=1.)
                b = a + 0.5 * tf.math.reduce_std(a) * beta
            shape = [tf.shape(a)[0]] + [1] * (a.shape.ndims - 1)
            alpha = tf.random.uniform(shape=shape, minval=0., maxval=1.)
            inter = a + alpha * (b - a)
            inter.set_shape(a.shape)
            return inter

        x = _interpolate(real, fake)
        with tf.GradientTape() as t:
            t.watch(x)
            pred = f(x)
        grad = t.gradient(pred, x)
        norm = tf.norm(tf.reshape(grad, [tf.shape(grad)[0], -1]), axis=1)
        gp = tf.reduce_mean((norm - 1.)**2)

        return gp

    if mode == 'none':
        gp = tf.constant(0, dtype=real.dtype)
    elif mode == 'dragan':
        gp = _gradient_penalty(f, real)
    elif mode == 'wgan-gp':
        gp = _gradient_penalty(f, real, fake)

    return gp


# ==============================================================================
# =                                  train.py                                  =
# ==============================================================================

args = types.SimpleNamespace(
    dataset='fashion_mnist', batch_size=8, epochs=1, lr=0.0002, beta_1=0.5, n_d=1,
    z_dim=16, adversarial_loss_mode='gan', gradient_penalty_mode='dragan',
    gradient_penalty_weight=10.0,
)

# Random stand-in for data.make_32x32_dataset('fashion_mnist', ...): images in [-1, 1].
shape = (32, 32, 1)
images = np.random.uniform(-1, 1, size=(16,) + shape).astype('float32')
dataset = tf.data.Dataset.from_tensor_slices(images).batch(args.batch_size, drop_remainder=True)
len_dataset = 2
n_G_upsamplings = n_D_downsamplings = 3

if args.gradient_penalty_mode == 'none':
    d_norm = 'batch_norm'
if args.gradient_penalty_mode in ['dragan', 'wgan-gp']:  # cannot use batch normalization with gradient penalty
    d_norm = 'layer_norm'

# networks
G = ConvGenerator(input_shape=(1, 1, args.z_dim), output_channels=shape[-1], dim=8, n_upsamplings=n_G_upsamplings, name='G_%s' % args.dataset)
D = ConvDiscriminator(input_shape=shape, dim=8, n_downsamplings=n_D_downsamplings, norm=d_norm, name='D_%s' % args.dataset)

# adversarial_loss_functions
d_loss_fn, g_loss_fn = get_adversarial_losses_fn(args.adversarial_loss_mode)

G_optimizer = keras.optimizers.Adam(learning_rate=args.lr, beta_1=args.beta_1)
D_optimizer = keras.optimizers.Adam(learning_rate=args.lr, beta_1=args.beta_1)


@tf.function
def train_G():
    with tf.GradientTape() as t:
        z = tf.random.normal(shape=(args.batch_size, 1, 1, args.z_dim))
        x_fake = G(z, training=True)
        x_fake_d_logit = D(x_fake, training=True)
        G_loss = g_loss_fn(x_fake_d_logit)

    G_grad = t.gradient(G_loss, G.trainable_variables)
    G_optimizer.apply_gradients(zip(G_grad, G.trainable_variables))

    return {'g_loss': G_loss}


@tf.function
def train_D(x_real):
    with tf.GradientTape() as t:
        z = tf.random.normal(shape=(args.batch_size, 1, 1, args.z_dim))
        x_fake = G(z, training=True)

        x_real_d_logit = D(x_real, training=True)
        x_fake_d_logit = D(x_fake, training=True)

        x_real_d_loss, x_fake_d_loss = d_loss_fn(x_real_d_logit, x_fake_d_logit)
        gp = gradient_penalty(functools.partial(D, training=True), x_real, x_fake, mode=args.gradient_penalty_mode)

        D_loss = (x_real_d_loss + x_fake_d_loss) + gp * args.gradient_penalty_weight

    D_grad = t.gradient(D_loss, D.trainable_variables)
    D_optimizer.apply_gradients(zip(D_grad, D.trainable_variables))

    return {'d_loss': x_real_d_loss + x_fake_d_loss, 'gp': gp}


# epoch counter
ep_cnt = tf.Variable(initial_value=0, trainable=False, dtype=tf.int64)

G_before = [v.numpy().copy() for v in G.trainable_variables]
D_before = [v.numpy().copy() for v in D.trainable_variables]
history = []

for ep in range(args.epochs):
    if ep < ep_cnt:
        continue

    # update epoch counter
    ep_cnt.assign_add(1)

    # train for an epoch
    for x_real in dataset:
        D_loss_dict = train_D(x_real)
        history.append({k: float(v) for k, v in D_loss_dict.items()})

        if D_optimizer.iterations.numpy() % args.n_d == 0:
            G_loss_dict = train_G()
            history[-1]['g_loss'] = float(G_loss_dict['g_loss'])

for h in history:
    print(h)


def n_changed(before, model):
    return sum(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))


print("G variables changed: %d/%d" % (n_changed(G_before, G), len(G_before)))
print("D variables changed: %d/%d" % (n_changed(D_before, D), len(D_before)))
assert all(np.isfinite(v) for h in history for v in h.values())
assert n_changed(G_before, G) == len(G_before) and n_changed(D_before, D) == len(D_before)
