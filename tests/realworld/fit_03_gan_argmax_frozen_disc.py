"""Sequence GAN: the generator emits a softmax over tokens per time step, the combined model feeds
K.argmax of it into a frozen discriminator (Embedding + LSTM) and is trained with model.fit; the argmax
blocks every gradient to the generator, so fit fails (it works only while the discriminator is trainable).

---
source: https://github.com/tensorflow/tensorflow/issues/52260
framework: keras3
outcome: error
cause: nondifferentiable_op
line: 43
variables: [generator]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import ops as K
from keras.layers import Input, Dense, LSTM, Embedding, RepeatVector, TimeDistributed
from keras.models import Model, Sequential
from keras.optimizers import Adam

timestep, vocab, latent = 10, 20, 16


def build_generator():
    return Sequential([Input((timestep,)), Dense(latent, activation="relu"), RepeatVector(timestep),
                       LSTM(32, return_sequences=True),
                       TimeDistributed(Dense(vocab, activation="softmax"))], name="generator")


def build_discriminator():
    d = Sequential([Input((timestep,)), Embedding(vocab, 8), LSTM(16), Dense(1, activation="sigmoid")],
                   name="discriminator")
    d.compile(loss="binary_crossentropy", optimizer=Adam(0.0002, beta_1=0.5), metrics=["accuracy"])
    return d


def define_gan(g_model, d_model, timestep):
    d_model.trainable = False
    g_model.trainable = True
    a = Input(shape=(timestep,))
    b = g_model(a)
    c = K.argmax(b, axis=-1)
    output_d = d_model(c)
    model = Model(inputs=a, outputs=output_d)
    opt = Adam(learning_rate=0.0002, beta_1=0.5)
    model.compile(loss=["binary_crossentropy"], optimizer=opt, metrics=["accuracy"])
    return model


generator = build_generator()
discriminator = build_discriminator()
gan_model = define_gan(generator, discriminator, timestep)
noise = np.random.randn(32, timestep).astype("float32")
gan_model.fit(noise, np.ones((32, 1)), batch_size=16, epochs=1, verbose=0)
print("gan step done")
