"""Image out-painting GAN (Keras-2 style): the discriminator DCRM is compiled,
then `DCRM.trainable = False` is set so the COMBINED generator+discriminator
model only trains the generator, and the training loop keeps calling
`DCRM.train_on_batch` on real and generated patches. The issue asks why the
discriminator loss "doesn't go down at all" and whether `.trainable = False`
freezes it. Running the notebook's code under Keras 3 answers yes: Keras 3 does
not snapshot trainability at compile time, so after `DCRM.trainable = False`
the discriminator has no trainable weights, `train_on_batch` only warns "The
model does not have any trainable weights" and the discriminator's weights
never change (its loss only moves with the random batches). Under tf-keras the compile-time
snapshot keeps the discriminator training. Fix: toggle `DCRM.trainable = True`
before the discriminator steps (and False before the combined step), or write a
custom train_step with separate variable lists.
---
source: https://github.com/bendangnuksung/Image-OutPainting/issues/14
framework: keras3
outcome: trains_silently
cause: frozen_model
line: 91
variables: [d_conv, d_fc1, d_out]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Conv2D, Conv2DTranspose, Dense, Flatten, Input, LeakyReLU, ReLU, Dropout
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import Adam
tf.keras.utils.set_random_seed(0)

INPUT_SHAPE = (16, 16, 3)
EPOCHS = 3
BATCH = 4
MASK_PERCENTAGE = .25

d_input_shape = (INPUT_SHAPE[0], int(INPUT_SHAPE[1] * (MASK_PERCENTAGE * 2)), INPUT_SHAPE[2])
d_dropout = 0.25
DCRM_OPTIMIZER = Adam(0.0001, 0.5)


def d_build_conv(layer_input, filter_size, kernel_size=4, strides=2, activation='leakyrelu',
                 dropout_rate=d_dropout, norm=True, name=None):
    c = Conv2D(filter_size, kernel_size=kernel_size, strides=strides, padding='same', name=name)(layer_input)
    if activation == 'leakyrelu':
        c = LeakyReLU(0.2)(c)
    if dropout_rate:
        c = Dropout(dropout_rate)(c)
    return c


def build_discriminator():
    d_input = Input(shape=d_input_shape)
    d = d_build_conv(d_input, 8, 5, strides=2, norm=False, name="d_conv0")
    for i in range(2):
        d = d_build_conv(d, 8, 5, strides=2, name="d_conv%d" % (i + 1))
    flat = Flatten()(d)
    fc1 = Dense(16, activation='relu', name="d_fc1")(flat)
    d_output = Dense(1, activation='sigmoid', name="d_out")(fc1)
    return Model(d_input, d_output, name="DCRM")


# Discriminator initialization
DCRM = build_discriminator()
DCRM.compile(loss='mse', optimizer=DCRM_OPTIMIZER)

g_input_shape = (INPUT_SHAPE[0], int(INPUT_SHAPE[1] * (MASK_PERCENTAGE * 2)), INPUT_SHAPE[2])
GEN_OPTIMIZER = Adam(0.001, 0.5)


def g_build_conv(layer_input, filter_size, kernel_size=4, strides=2, dilation=1, name=None):
    c = Conv2D(filter_size, kernel_size=kernel_size, strides=strides,
               dilation_rate=(dilation, dilation), padding='same', name=name)(layer_input)
    return ReLU()(c)


def build_generator():
    g_input = Input(shape=g_input_shape)
    g1 = g_build_conv(g_input, 8, 5, strides=1, name="g_conv1")
    g2 = g_build_conv(g1, 8, 4, strides=2, name="g_conv2")
    g5 = g_build_conv(g2, 8, 3, strides=1, dilation=2, name="g_conv5")
    g10 = ReLU()(Conv2DTranspose(8, kernel_size=4, strides=2, padding='same', name="g_deconv")(g5))
    g_output = Conv2D(3, kernel_size=4, strides=(1, 1), activation='tanh', padding='same', name="g_out")(g10)
    return Model(g_input, g_output, name="GEN")


GEN = build_generator()
GEN.compile(loss='mse', optimizer=GEN_OPTIMIZER)

# Combined Model
IMAGE = Input(shape=g_input_shape)
DCRM.trainable = False
GENERATED_IMAGE = GEN(IMAGE)
CONF_GENERATED_IMAGE = DCRM(GENERATED_IMAGE)
COMBINED = Model(IMAGE, [CONF_GENERATED_IMAGE, GENERATED_IMAGE])
COMBINED.compile(loss=['mse', 'mse'], optimizer=GEN_OPTIMIZER)


def mask_width(img):
    image = img.copy()
    width = image.shape[1]
    new_width = int(width * MASK_PERCENTAGE)
    missing_x = img[:, :new_width]
    missing_y = img[:, width - new_width:]
    missing_part = np.concatenate((missing_x, missing_y), axis=1)
    image = image[:, :width - new_width]
    image = image[:, new_width:]
    return image, missing_part


def get_masked_images(images):
    mask_images, missing_images = [], []
    for image in images:
        mask_image, missing_image = mask_width(image)
        mask_images.append(mask_image)
        missing_images.append(missing_image)
    return np.array(mask_images), np.array(missing_images)


def train():
    d_kernel_before = DCRM.get_layer("d_out").kernel.numpy().copy()
    for epoch in range(1, EPOCHS + 1):
        for steps in range(2):
            original = np.random.randint(0, 256, (BATCH,) + INPUT_SHAPE).astype("float32")
            batch_size = original.shape[0]
            mask_image, missing_image = get_masked_images(original)
            mask_image = mask_image / 127.5 - 1
            missing_image = missing_image / 127.5 - 1

            # Train Discriminator
            gen_missing = GEN.predict(mask_image, verbose=0)
            real = np.ones([batch_size, 1])
            fake = np.zeros([batch_size, 1])
            d_loss_original = DCRM.train_on_batch(missing_image, real)
            d_loss_mask = DCRM.train_on_batch(gen_missing, fake)
            d_loss = 0.5 * np.add(d_loss_original, d_loss_mask)

            # Train Generator
            for i in range(2):
                g_loss = COMBINED.train_on_batch(mask_image, [real, missing_image])
            print("epoch: %d, steps: %d, DIS loss: %s, GEN loss: %s" % (epoch, steps, d_loss, np.ravel(g_loss)[0]))
    print("discriminator trainable weights:", len(DCRM.trainable_weights))
    print("discriminator d_out kernel changed:",
          not np.allclose(d_kernel_before, DCRM.get_layer("d_out").kernel.numpy()))


train()
