"""Keras-GAN `gan.py` (MLP GAN): the discriminator is compiled, then
`self.discriminator.trainable = False` is set so that the combined model only trains the
generator. In Keras 2 the flag is captured when a model is compiled, so the
discriminator still trains in its own train_on_batch. In Keras 3 `trainable` is read
each time a train function is built, not at compile(): the discriminator's first
train_on_batch runs while the flag is False, its train step has no trainable weights
("The model does not have any trainable weights"), and the discriminator never learns
(the report's "it was not training the discriminator at all"). Fix: set
`discriminator.trainable = True` before its train_on_batch and False before the
combined model's, or write a custom train_step.

---
source: https://github.com/eriklindernoren/Keras-GAN/issues/22
framework: keras3
outcome: warning
cause: frozen_model
line: 52
variables: [sequential/dense/, sequential/dense_1/, sequential/dense_2/]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense, Reshape, Flatten
from tensorflow.keras.layers import BatchNormalization, LeakyReLU
from tensorflow.keras.models import Sequential, Model
from tensorflow.keras.optimizers import Adam
np.random.seed(0)
tf.random.set_seed(0)


class GAN():
    def __init__(self):
        self.img_rows = 8
        self.img_cols = 8
        self.channels = 1
        self.img_shape = (self.img_rows, self.img_cols, self.channels)

        optimizer = Adam(0.0002, 0.5)

        self.discriminator = self.build_discriminator()
        self.discriminator.compile(loss='binary_crossentropy',
            optimizer=optimizer,
            metrics=['accuracy'])

        self.generator = self.build_generator()
        self.generator.compile(loss='binary_crossentropy', optimizer=optimizer)

        z = Input(shape=(16,))
        img = self.generator(z)

        # For the combined model we will only train the generator
        self.discriminator.trainable = False

        valid = self.discriminator(img)

        self.combined = Model(z, valid)
        self.combined.compile(loss='binary_crossentropy', optimizer=Adam(0.0002, 0.5))

    def build_generator(self):
        noise_shape = (16,)
        model = Sequential()
        model.add(Input(shape=noise_shape))
        model.add(Dense(32))
        model.add(LeakyReLU(0.2))
        model.add(BatchNormalization(momentum=0.8))
        model.add(Dense(int(np.prod(self.img_shape)), activation='tanh'))
        model.add(Reshape(self.img_shape))
        noise = Input(shape=noise_shape)
        img = model(noise)
        return Model(noise, img)

    def build_discriminator(self):
        img_shape = (self.img_rows, self.img_cols, self.channels)
        model = Sequential()
        model.add(Input(shape=img_shape))
        model.add(Flatten())
        model.add(Dense(32))
        model.add(LeakyReLU(0.2))
        model.add(Dense(16))
        model.add(LeakyReLU(0.2))
        model.add(Dense(1, activation='sigmoid'))
        img = Input(shape=img_shape)
        validity = model(img)
        return Model(img, validity)

    def train(self, epochs, batch_size=16):
        X_train = np.random.uniform(-1, 1, (64,) + self.img_shape).astype(np.float32)
        half_batch = int(batch_size / 2)
        d_before = [w.copy() for w in self.discriminator.get_weights()]
        for epoch in range(epochs):
            idx = np.random.randint(0, X_train.shape[0], half_batch)
            imgs = X_train[idx]
            noise = np.random.normal(0, 1, (half_batch, 16))
            gen_imgs = self.generator.predict(noise, verbose=0)

            d_loss_real = self.discriminator.train_on_batch(imgs, np.ones((half_batch, 1)))
            d_loss_fake = self.discriminator.train_on_batch(gen_imgs, np.zeros((half_batch, 1)))
            d_loss = 0.5 * np.add(d_loss_real, d_loss_fake)

            noise = np.random.normal(0, 1, (batch_size, 16))
            valid_y = np.array([1] * batch_size)
            g_loss = self.combined.train_on_batch(noise, valid_y)
            print("%d [D loss: %f, acc.: %.2f%%] [G loss: %f]" % (epoch, d_loss[0], 100 * d_loss[1], g_loss))
        d_changed = any(not np.allclose(a, b) for a, b in zip(d_before, self.discriminator.get_weights()))
        print("discriminator weights changed:", d_changed)


if __name__ == '__main__':
    gan = GAN()
    gan.train(epochs=3)
