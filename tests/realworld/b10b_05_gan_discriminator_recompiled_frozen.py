"""The user runs the "generative_adversarial_network" notebook from Deep
Learning Illustrated (a Keras Sequential discriminator and generator, combined
into an adversarial model for which `discriminator.trainable = False` is set
before compiling it). Keras prints "Discrepancy between trainable weights and
collected trainable weights, did you set `model.trainable` without calling
`model.compile` after?". To silence it, the user added
`discriminator.compile(...)` right after `discriminator.trainable = False`.
The warning goes away but the GAN no longer learns: the discriminator's loss
and weights never change. Root cause (per the maintainers' reply): compiling
the discriminator while it is frozen makes its own training step see no
trainable weights, so `discriminator.train_on_batch` updates nothing; the
original warning was expected and harmless. Fix: remove the added compile (the
discriminator must be compiled while trainable, the adversarial model while it
is frozen). Shrunk: 8x8 "drawings" of random data, tiny Dense networks,
a few training iterations. Reproduces under Keras 2 (tf-keras), where
`compile` snapshots the trainable state. (Under Keras 3 the discriminator is
also left untrained, with "The model does not have any trainable weights", but
there `trainable` is read at train time, so the classic pattern itself breaks
and the added compile is not the cause; hence keras2 only.)
---
source: https://github.com/the-deep-learners/deep-learning-illustrated/issues/2
framework: keras2
outcome: trains_silently
cause: frozen_model
line: [59, 60]
variables: [d_dense_1, d_output]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential, Model
from tensorflow.keras.layers import Input, Dense, Dropout, Reshape, Flatten
from tensorflow.keras.optimizers import RMSprop

tf.keras.utils.set_random_seed(0)

data = np.random.rand(256, 8, 8, 1).astype("float32")
z_dimensions = 16

discriminator = Sequential([
    Input((8, 8, 1)),
    Flatten(),
    Dense(32, activation="relu", name="d_dense_1"),
    Dropout(0.4),
    Dense(1, activation="sigmoid", name="d_output"),
], name="discriminator")
discriminator.compile(loss="binary_crossentropy", optimizer=RMSprop(learning_rate=0.0008, clipvalue=1.0),
                      metrics=["accuracy"])

generator = Sequential([
    Input((z_dimensions,)),
    Dense(32, activation="relu", name="g_dense_1"),
    Dense(64, activation="sigmoid", name="g_dense_2"),
    Reshape((8, 8, 1)),
], name="generator")

z = Input(shape=(z_dimensions,))
img = generator(z)
discriminator.trainable = False
discriminator.compile(loss="binary_crossentropy", optimizer=RMSprop(learning_rate=0.0008, clipvalue=1.0),
                      metrics=["accuracy"])
pred = discriminator(img)
adversarial_model = Model(z, pred)
adversarial_model.compile(loss="binary_crossentropy", optimizer=RMSprop(learning_rate=0.0004, clipvalue=1.0),
                          metrics=["accuracy"])

d_before = [w.copy() for w in discriminator.get_weights()]
batch = 32
for i in range(20):
    real_imgs = data[np.random.choice(len(data), batch)]
    fake_imgs = generator.predict(np.random.uniform(-1.0, 1.0, size=[batch, z_dimensions]), verbose=0)
    x = np.concatenate((real_imgs, fake_imgs))
    y = np.ones([2 * batch, 1]); y[batch:, :] = 0
    d_metrics = discriminator.train_on_batch(x, y)
    noise = np.random.uniform(-1.0, 1.0, size=[batch, z_dimensions])
    a_metrics = adversarial_model.train_on_batch(noise, np.ones([batch, 1]))
    if i % 5 == 0:
        print(i, "D loss", d_metrics[0], "A loss", a_metrics[0])
changed = [not np.allclose(a, b) for a, b in zip(d_before, discriminator.get_weights())]
print("discriminator weights changed:", changed)
