"""pix2pix from eriklindernoren/Keras-GAN (pix2pix/pix2pix.py): the PatchGAN discriminator is
built and compiled, then `self.discriminator.trainable = False` is set so that the combined
generator+discriminator model (`self.combined`, losses ['mse', 'mae']) only trains the U-Net
generator; the training loop still calls `self.discriminator.train_on_batch(...)` on real and fake
pairs. The issue asks whether that flag does not also freeze the real discriminator (same
instance, no switch back); the answer given is that `compile()` snapshots the flag, so the
discriminator compiled earlier still trains. That is true for tf-keras. Under Keras 3 the flag is
read when the discriminator's train function is first built, at its first `train_on_batch`,
after it was frozen: Keras warns "The model does not have any trainable weights", the
discriminator (BatchNorm statistics included) never changes while the generator trains against a fixed
random critic. Fix: set `self.discriminator.trainable = True` before the discriminator updates
(and False before the combined update), or keep a frozen copy for the combined model.
---
source: https://github.com/eriklindernoren/Keras-GAN/issues/73
framework: keras3
outcome: trains_silently
cause: frozen_model
line: 53
variables: [disc_conv_1/kernel, disc_conv_2/kernel, disc_validity/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dropout, Concatenate, BatchNormalization, LeakyReLU
from tensorflow.keras.layers import UpSampling2D, Conv2D
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import Adam
tf.keras.utils.set_random_seed(0)


class Pix2Pix():
    def __init__(self):
        self.img_rows = 32
        self.img_cols = 32
        self.channels = 3
        self.img_shape = (self.img_rows, self.img_cols, self.channels)
        patch = int(self.img_rows / 2**3)
        self.disc_patch = (patch, patch, 1)
        self.gf = 8
        self.df = 8

        # Build and compile the discriminator
        self.discriminator = self.build_discriminator()
        self.discriminator.compile(loss='mse', optimizer=Adam(0.0002, 0.5), metrics=['accuracy'])

        # Build the generator
        self.generator = self.build_generator()
        img_A = Input(shape=self.img_shape)
        img_B = Input(shape=self.img_shape)
        fake_A = self.generator(img_B)

        # For the combined model we will only train the generator
        self.discriminator.trainable = False

        valid = self.discriminator([fake_A, img_B])
        self.combined = Model(inputs=[img_A, img_B], outputs=[valid, fake_A])
        self.combined.compile(loss=['mse', 'mae'], loss_weights=[1, 100], optimizer=Adam(0.0002, 0.5))

    def build_generator(self):
        """U-Net Generator"""
        def conv2d(layer_input, filters, f_size=4, bn=True):
            d = Conv2D(filters, kernel_size=f_size, strides=2, padding='same')(layer_input)
            d = LeakyReLU(0.2)(d)
            if bn:
                d = BatchNormalization(momentum=0.8)(d)
            return d

        def deconv2d(layer_input, skip_input, filters, f_size=4, dropout_rate=0):
            u = UpSampling2D(size=2)(layer_input)
            u = Conv2D(filters, kernel_size=f_size, strides=1, padding='same', activation='relu')(u)
            if dropout_rate:
                u = Dropout(dropout_rate)(u)
            u = BatchNormalization(momentum=0.8)(u)
            u = Concatenate()([u, skip_input])
            return u

        d0 = Input(shape=self.img_shape)
        d1 = conv2d(d0, self.gf, bn=False)
        d2 = conv2d(d1, self.gf * 2)
        d3 = conv2d(d2, self.gf * 4)
        u1 = deconv2d(d3, d2, self.gf * 2)
        u2 = deconv2d(u1, d1, self.gf)
        u3 = UpSampling2D(size=2)(u2)
        output_img = Conv2D(self.channels, kernel_size=4, strides=1, padding='same', activation='tanh',
                            name='gen_out')(u3)
        return Model(d0, output_img, name='generator')

    def build_discriminator(self):
        def d_layer(layer_input, filters, f_size=4, bn=True, name=None):
            d = Conv2D(filters, kernel_size=f_size, strides=2, padding='same', name=name)(layer_input)
            d = LeakyReLU(0.2)(d)
            if bn:
                d = BatchNormalization(momentum=0.8)(d)
            return d

        img_A = Input(shape=self.img_shape)
        img_B = Input(shape=self.img_shape)
        combined_imgs = Concatenate(axis=-1)([img_A, img_B])
        d1 = d_layer(combined_imgs, self.df, bn=False, name='disc_conv_1')
        d2 = d_layer(d1, self.df * 2, name='disc_conv_2')
        d3 = d_layer(d2, self.df * 4, name='disc_conv_3')
        validity = Conv2D(1, kernel_size=4, strides=1, padding='same', name='disc_validity')(d3)
        return Model([img_A, img_B], validity, name='discriminator')

    def load_batch(self, batch_size, n_batches):
        # stand-in for DataLoader('facades'): B is a blurred, shifted version of A
        for _ in range(n_batches):
            imgs_A = np.tanh(np.random.randn(batch_size, *self.img_shape)).astype('float32')
            imgs_B = 0.5 * (imgs_A + np.roll(imgs_A, 1, axis=1))
            yield imgs_A, imgs_B

    def train(self, epochs, batch_size=1, n_batches=6):
        valid = np.ones((batch_size,) + self.disc_patch)
        fake = np.zeros((batch_size,) + self.disc_patch)
        for epoch in range(epochs):
            for batch_i, (imgs_A, imgs_B) in enumerate(self.load_batch(batch_size, n_batches)):
                fake_A = self.generator.predict(imgs_B, verbose=0)
                d_loss_real = self.discriminator.train_on_batch([imgs_A, imgs_B], valid)
                d_loss_fake = self.discriminator.train_on_batch([fake_A, imgs_B], fake)
                d_loss = 0.5 * np.add(d_loss_real, d_loss_fake)
                g_loss = self.combined.train_on_batch([imgs_A, imgs_B], [valid, imgs_A])
            print("[Epoch %d/%d] [D loss: %f, acc: %3d%%] [G loss: %f]"
                  % (epoch, epochs, d_loss[0], 100 * d_loss[1], g_loss[0]))


gan = Pix2Pix()
d_before = [w.copy() for w in gan.discriminator.get_weights()]
g_before = [w.copy() for w in gan.generator.get_weights()]
gan.train(epochs=3, batch_size=4)
print("discriminator weights changed:", any(not np.allclose(a, b) for a, b in zip(d_before, gan.discriminator.get_weights())))
print("generator weights changed:", any(not np.allclose(a, b) for a, b in zip(g_before, gan.generator.get_weights())))
