"""Healthy: the mafda "GAN 101" MNIST notebook pattern, shrunk to random vectors. The
discriminator is compiled on its own, frozen inside the stacked model d_g, and the
loop sets discriminator.trainable = True before its own train_on_batch and False
before d_g.train_on_batch. Under Keras 2 the flags are captured at compile time and
under Keras 3 they are read at every step; either way the discriminator trains on
its own batches and only the generator trains through d_g. The generator.predict
call (NumPy, outside any tape) and the frozen discriminator look suspicious but are
correct. Both losses move and both networks' weights change.
---
source: https://github.com/mafda/generative_adversarial_networks_101/blob/master/src/mnist/01_GAN_MNIST.ipynb
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense, LeakyReLU
from tensorflow.keras.models import Sequential, Model
from tensorflow.keras.optimizers import Adam
tf.keras.utils.set_random_seed(0)

latent_dim, img_dim, batch_size, smooth = 8, 16, 32, 0.1

generator = Sequential([Input((latent_dim,)), Dense(32, name='g_h'), LeakyReLU(0.2),
                        Dense(img_dim, activation='tanh', name='g_out')])
discriminator = Sequential([Input((img_dim,)), Dense(32, name='d_h'), LeakyReLU(0.2),
                            Dense(1, activation='sigmoid', name='d_out')])
discriminator.compile(optimizer=Adam(learning_rate=2e-3, beta_1=0.5), loss='binary_crossentropy',
                      metrics=['binary_accuracy'])
discriminator.trainable = False
z_in = Input((latent_dim,))
d_g = Model(z_in, discriminator(generator(z_in)))
d_g.compile(optimizer=Adam(learning_rate=2e-3, beta_1=0.5), loss='binary_crossentropy',
            metrics=['binary_accuracy'])

X_train = np.tanh(np.random.randn(512, img_dim) * 0.5 + 0.8).astype('float32')
real, fake = np.ones((batch_size, 1)), np.zeros((batch_size, 1))
d0, g0 = [w.copy() for w in discriminator.get_weights()], [w.copy() for w in generator.get_weights()]
for e in range(3):
    for i in range(len(X_train) // batch_size):
        # Train Discriminator weights
        discriminator.trainable = True
        X_batch = X_train[i * batch_size:(i + 1) * batch_size]
        d_loss_real = discriminator.train_on_batch(x=X_batch, y=real * (1 - smooth))
        z = np.random.normal(loc=0, scale=1, size=(batch_size, latent_dim))
        X_fake = generator.predict_on_batch(z)
        d_loss_fake = discriminator.train_on_batch(x=X_fake, y=fake)
        d_loss_batch = 0.5 * (d_loss_real[0] + d_loss_fake[0])
        # Train Generator weights
        discriminator.trainable = False
        d_g_loss_batch = d_g.train_on_batch(x=z, y=real)
    print(f"epoch {e}: d_loss={float(d_loss_batch):.4f} g_loss={float(d_g_loss_batch[0]):.4f}")

print("discriminator changed:", any(not np.array_equal(a, b) for a, b in zip(discriminator.get_weights(), d0)))
print("generator changed:", any(not np.array_equal(a, b) for a, b in zip(generator.get_weights(), g0)))
