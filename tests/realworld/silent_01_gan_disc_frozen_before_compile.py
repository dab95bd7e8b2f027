"""Keras-GAN style GAN: the user sets `discriminator.trainable = False` before compiling the discriminator (to silence the "Discrepancy between trainable weights" warning), so the discriminator has no trainable weights at all and its train_on_batch never updates it.

---
source: https://github.com/eriklindernoren/Keras-GAN/issues/91
framework: keras3
outcome: warning
cause: frozen_model
line: 35
variables: [discriminator]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras.layers import Input, Dense, LeakyReLU
from keras.models import Sequential, Model

latent_dim, img_dim = 8, 16


def build_generator():
    model = Sequential([Input((latent_dim,)), Dense(32), LeakyReLU(0.2), Dense(img_dim, activation="tanh")], name="generator")
    return model


def build_discriminator():
    model = Sequential([Input((img_dim,)), Dense(32), LeakyReLU(0.2), Dense(1, activation="sigmoid")], name="discriminator")
    return model


optimizer = keras.optimizers.Adam(0.0002, 0.5)
discriminator = build_discriminator()
generator = build_generator()
# For the combined model we will only train the generator
discriminator.trainable = False
discriminator.compile(loss="binary_crossentropy", optimizer=optimizer, metrics=["accuracy"])

z = Input(shape=(latent_dim,))
img = generator(z)
validity = discriminator(img)
combined = Model(z, validity)
combined.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(0.0002, 0.5))

X_train = np.random.uniform(-1, 1, (64, img_dim)).astype(np.float32)
batch_size = 16
valid = np.ones((batch_size, 1))
fake = np.zeros((batch_size, 1))
d_before = [w.copy() for w in discriminator.get_weights()]
for epoch in range(3):
    imgs = X_train[np.random.randint(0, X_train.shape[0], batch_size)]
    noise = np.random.normal(0, 1, (batch_size, latent_dim))
    gen_imgs = generator.predict(noise, verbose=0)
    d_loss_real = discriminator.train_on_batch(imgs, valid)
    d_loss_fake = discriminator.train_on_batch(gen_imgs, fake)
    d_loss = 0.5 * np.add(d_loss_real, d_loss_fake)
    g_loss = combined.train_on_batch(noise, valid)
    print("%d [D loss: %f, acc.: %.2f%%] [G loss: %f]" % (epoch, d_loss[0], 100 * d_loss[1], g_loss))
print("discriminator changed:", any(np.abs(a - b).max() > 0 for a, b in zip(d_before, discriminator.get_weights())))
