"""CycleGAN for music style transfer (TF 2 refactoring): instance normalisation is a plain
function `instance_norm` that creates its SCALE and OFFSET `tf.Variable`s on every call, and
the residual block is a plain function `resnet_block` that builds two new Conv2D layers; both
are wrapped in `layers.Lambda(...)` inside the functional generator and discriminator.
A Lambda layer tracks no variable or layer created by its function: the model's
`trainable_variables` leave them out, and since the function runs again at every call, new
untrained copies would be made at every step anyway. tf-keras refuses to build the model
("The following Variables were created within a Lambda layer (IN_1) but are not tracked by
said layer"), the error of the report. Fix: make InstanceNorm and ResNetBlock subclassed
Layers that create their weights once in `__init__`/`build` (what the repository did later).

---
source: https://github.com/sumuzhao/CycleGAN-Music-Style-Transfer-Refactorization/issues/3
framework: keras2
outcome: error
cause: untracked_variable
line: [35, 39]
variables: [SCALE, OFFSET]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import Model, layers, Input
from collections import namedtuple
np.random.seed(0)
tf.random.set_seed(0)


def padding(x, p=3):
    return tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], "REFLECT")


def instance_norm(x, epsilon=1e-5):

    scale = tf.Variable(initial_value=np.random.normal(1., 0.02, x.shape[-1:]),
                        trainable=True,
                        name='SCALE',
                        dtype=tf.float32)
    offset = tf.Variable(initial_value=np.zeros(x.shape[-1:]),
                         trainable=True,
                         name='OFFSET',
                         dtype=tf.float32)
    mean, variance = tf.nn.moments(x, axes=[1, 2], keepdims=True)
    inv = tf.math.rsqrt(variance + epsilon)
    normalized = (x - mean) * inv
    return scale * normalized + offset


def resnet_block(x, dim, k_init, ks=3, s=1):
    p = (ks - 1) // 2
    y = layers.Lambda(padding, arguments={'p': p}, name='PADDING_1')(x)
    y = layers.Conv2D(filters=dim, kernel_size=ks, strides=s, padding='valid',
                      kernel_initializer=k_init, use_bias=False)(y)
    y = layers.Lambda(instance_norm, name='IN')(y)
    y = layers.ReLU()(y)

    y = layers.Lambda(padding, arguments={'p': p}, name='PADDING_2')(y)
    y = layers.Conv2D(filters=dim, kernel_size=ks, strides=s, padding='valid',
                      kernel_initializer=k_init, use_bias=False)(y)
    y = layers.Lambda(instance_norm, name='IN')(y)
    y = layers.ReLU()(y + x)
    return y


def build_discriminator(options, name='Discriminator'):
    initializer = tf.random_normal_initializer(0., 0.02)
    inputs = Input(shape=(options.time_step, options.pitch_range, options.output_nc))
    x = inputs
    x = layers.Conv2D(filters=options.df_dim, kernel_size=7, strides=2, padding='same',
                      kernel_initializer=initializer, use_bias=False, name='CONV2D_1')(x)
    x = layers.LeakyReLU(alpha=0.2)(x)
    x = layers.Conv2D(filters=options.df_dim * 4, kernel_size=7, strides=2, padding='same',
                      kernel_initializer=initializer, use_bias=False, name='CONV2D_2')(x)
    x = layers.Lambda(instance_norm, name='IN_1')(x)
    x = layers.LeakyReLU(alpha=0.2)(x)
    x = layers.Conv2D(filters=1, kernel_size=7, strides=1, padding='same',
                      kernel_initializer=initializer, use_bias=False, name='CONV2D_3')(x)
    outputs = x
    return Model(inputs=inputs, outputs=outputs, name=name)


def build_generator(options, name='Generator'):
    initializer = tf.random_normal_initializer(0., 0.02)
    inputs = Input(shape=(options.time_step, options.pitch_range, options.output_nc))
    x = inputs
    x = layers.Lambda(padding, name='PADDING_1')(x)
    x = layers.Conv2D(filters=options.gf_dim, kernel_size=7, strides=1, padding='valid',
                      kernel_initializer=initializer, use_bias=False, name='CONV2D_1')(x)
    x = layers.Lambda(instance_norm, name='IN_1')(x)
    x = layers.ReLU()(x)
    for i in range(2):
        x = layers.Lambda(resnet_block,
                          arguments={'dim': options.gf_dim, 'k_init': initializer},
                          name='ResNet_Block_{}'.format(i))(x)
    x = layers.Lambda(padding, name='PADDING_2')(x)
    x = layers.Conv2D(filters=options.output_nc, kernel_size=7, strides=1, padding='valid',
                      kernel_initializer=initializer, activation='sigmoid', use_bias=False,
                      name='CONV2D_4')(x)
    outputs = x
    return Model(inputs=inputs, outputs=outputs, name=name)


OPTIONS = namedtuple('OPTIONS', 'time_step pitch_range output_nc gf_dim df_dim')
options = OPTIONS(time_step=16, pitch_range=12, output_nc=1, gf_dim=4, df_dim=4)

generator_A2B = build_generator(options, name='Generator_A2B')
discriminator_B = build_discriminator(options, name='Discriminator_B')
GA2B_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
DB_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)


def mae_criterion(pred, target):
    return tf.reduce_mean((pred - target) ** 2)


real_A = np.random.rand(4, 16, 12, 1).astype(np.float32)
real_B = np.random.rand(4, 16, 12, 1).astype(np.float32)
for step in range(2):
    with tf.GradientTape(persistent=True) as gen_tape, tf.GradientTape(persistent=True) as disc_tape:
        fake_B = generator_A2B(real_A, training=True)
        DB_real = discriminator_B(real_B, training=True)
        DB_fake = discriminator_B(fake_B, training=True)
        g_A2B_loss = mae_criterion(DB_fake, tf.ones_like(DB_fake))
        d_B_loss = (mae_criterion(DB_real, tf.ones_like(DB_real))
                    + mae_criterion(DB_fake, tf.zeros_like(DB_fake))) / 2
    generator_A2B_gradients = gen_tape.gradient(target=g_A2B_loss,
                                                sources=generator_A2B.trainable_variables)
    discriminator_B_gradients = disc_tape.gradient(target=d_B_loss,
                                                   sources=discriminator_B.trainable_variables)
    GA2B_optimizer.apply_gradients(zip(generator_A2B_gradients, generator_A2B.trainable_variables))
    DB_optimizer.apply_gradients(zip(discriminator_B_gradients, discriminator_B.trainable_variables))
    print('step', step, 'g_loss', float(g_A2B_loss), 'd_loss', float(d_B_loss))
print('generator trainable variables:', [v.name for v in generator_A2B.trainable_variables])
