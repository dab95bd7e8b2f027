"""The simple Fashion-MNIST GAN of "Hands-On Machine Learning" (3rd ed., chapter 17): a
Sequential generator and discriminator stacked into `gan = Sequential([generator,
discriminator])`; the discriminator is compiled, then `discriminator.trainable = False` is set
before `gan.compile(...)`, and the hand-written `train_gan` loop alternates
`discriminator.train_on_batch` and `gan.train_on_batch`. The book relies on Keras 2 keeping the
trainable state a model had when it was compiled. Keras 3 reads the flag when the train function
is built, so the discriminator has no trainable weights at all: every
`discriminator.train_on_batch` warns "The model does not have any trainable weights" and its
kernels stay bit-identical, while the generator (trained through `gan`) changes.
---
source: https://github.com/ageron/handson-ml3/issues/252
framework: keras3
outcome: warning
cause: frozen_model
line: 43
variables: [discriminator]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(42)

codings_size = 30

Dense = tf.keras.layers.Dense
generator = tf.keras.Sequential([
    Dense(100, activation="relu", kernel_initializer="he_normal"),
    Dense(150, activation="relu", kernel_initializer="he_normal"),
    Dense(28 * 28, activation="sigmoid"),
    tf.keras.layers.Reshape([28, 28])
], name="generator")
discriminator = tf.keras.Sequential([
    tf.keras.layers.Flatten(),
    Dense(150, activation="relu", kernel_initializer="he_normal"),
    Dense(100, activation="relu", kernel_initializer="he_normal"),
    Dense(1, activation="sigmoid")
], name="discriminator")
gan = tf.keras.Sequential([generator, discriminator])

discriminator.compile(loss="binary_crossentropy", optimizer="rmsprop")
discriminator.trainable = False
gan.compile(loss="binary_crossentropy", optimizer="rmsprop")

# random stand-in for X_train (Fashion MNIST scaled to [0, 1])
X_train = np.random.default_rng(0).uniform(0, 1, (64, 28, 28)).astype("float32")
batch_size = 32
dataset = tf.data.Dataset.from_tensor_slices(X_train).shuffle(1000)
dataset = dataset.batch(batch_size, drop_remainder=True).prefetch(1)

gan.build((None, codings_size))
d_before = [w.copy() for w in discriminator.get_weights()]
g_before = [w.copy() for w in generator.get_weights()]


def train_gan(gan, dataset, batch_size, codings_size, n_epochs):
    generator, discriminator = gan.layers
    for epoch in range(n_epochs):
        print(f"Epoch {epoch + 1}/{n_epochs}")
        for X_batch in dataset:
            # phase 1 - training the discriminator
            noise = tf.random.normal(shape=[batch_size, codings_size])
            generated_images = generator(noise)
            X_fake_and_real = tf.concat([generated_images, X_batch], axis=0)
            y1 = tf.constant([[0.]] * batch_size + [[1.]] * batch_size)
            d_loss = discriminator.train_on_batch(X_fake_and_real, y1)
            # phase 2 - training the generator
            noise = tf.random.normal(shape=[batch_size, codings_size])
            y2 = tf.constant([[1.]] * batch_size)
            g_loss = gan.train_on_batch(noise, y2)
            print("  d_loss", float(np.ravel(d_loss)[0]), "g_loss", float(np.ravel(g_loss)[0]))


train_gan(gan, dataset, batch_size, codings_size, n_epochs=1)

print("discriminator trainable weights:", len(discriminator.trainable_weights))
print("discriminator weights changed:",
      any(not np.array_equal(a, b) for a, b in zip(d_before, discriminator.get_weights())))
print("generator weights changed:",
      any(not np.array_equal(a, b) for a, b in zip(g_before, generator.get_weights())))
