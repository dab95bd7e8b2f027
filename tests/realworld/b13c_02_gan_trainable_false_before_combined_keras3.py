"""A user asks how the generator of a GAN is trained; the answer gives the classic
Keras recipe: compile the discriminator while trainable, then set
discriminator.trainable = False, build and compile the combined model, and in the
loop call discriminator.train_on_batch on real/fake images and combined.train_on_batch
on noise. The answer relies on Keras 2 semantics ("already compiled models are not
affected"). Under Keras 3 the trainable flag is read at every step, not at compile
time, so after the one `discriminator.trainable = False` the discriminator has no
trainable weights for its own train_on_batch either: it silently never learns (Keras
only warns "The model does not have any trainable weights"), its loss stays flat.
Fix: toggle discriminator.trainable = True before its train_on_batch and False
before combined.train_on_batch (or write a custom train_step).
---
source: http://pullrequest.ru/9075372/kak-trenirovat-generator-gan
framework: keras3
outcome: trains_silently
cause: frozen_model
line: 41
variables: [disc_h/kernel, disc_h/bias, disc_out/kernel, disc_out/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.models import Model, Sequential
tf.keras.utils.set_random_seed(0)

latent_dim, data_dim, batch = 4, 8, 32
input_shape = (latent_dim,)

genInput = Input(input_shape)
discriminator = Sequential([Input((data_dim,)),
                            Dense(16, activation='relu', name='disc_h'),
                            Dense(1, activation='sigmoid', name='disc_out')], name='discriminator')
generator = Sequential([Input(input_shape),
                        Dense(16, activation='relu', name='gen_h'),
                        Dense(data_dim, name='gen_out')], name='generator')

discriminator.trainable = True
discriminator.compile(loss='binary_crossentropy', optimizer='adam')

discriminator.trainable = False
combined = Model(genInput, discriminator(generator(genInput)))
combined.compile(loss='binary_crossentropy', optimizer='adam')

one_out, zero_out = np.ones((batch, 1)), np.zeros((batch, 1))
d_before = [w.copy() for w in discriminator.get_weights()]
g_before = [w.copy() for w in generator.get_weights()]
for step in range(20):
    X_real = (np.random.randn(batch, data_dim) + 2.0).astype('float32')
    noise = np.random.randn(batch, latent_dim).astype('float32')
    X_gen = generator.predict(noise, verbose=0)
    # This will only train the discriminator
    loss_real = discriminator.train_on_batch(X_real, one_out)
    loss_fake = discriminator.train_on_batch(X_gen, zero_out)
    d_loss = 0.5 * np.add(loss_real, loss_fake)
    noise = np.random.randn(batch, latent_dim).astype('float32')
    # This will only train the generator.
    g_loss = combined.train_on_batch(noise, one_out)
    if step % 5 == 0:
        print(f"step {step}: d_loss={float(d_loss):.5f} g_loss={float(np.ravel(g_loss)[0]):.5f}")

print("discriminator trainable weights:", len(discriminator.trainable_weights))
print("discriminator changed:", any(not np.array_equal(a, b) for a, b in zip(discriminator.get_weights(), d_before)))
print("generator changed:", any(not np.array_equal(a, b) for a, b in zip(generator.get_weights(), g_before)))
