"""Relativistic average GAN (RaGAN) in tf.keras, after Smith42/keras-relativistic-gan.
The two training models `gen_train` / `disc_train = Model([real, z], [disc_r, disc_f])`
are compiled with helper losses `relGenLoss(y_true, y_pred)` / `relDiscLoss(y_true,
y_pred)` that ignore their arguments and instead close over the module-level symbolic
tensors `disc_r = disc(real)` and `disc_f = disc(gen(z))`, i.e. over a forward pass that
ran once, at model-construction time, not inside the training step. On TF 2.1 the loss
was therefore not connected to the step's recorded forward pass and `train_on_batch`
failed with "No gradients provided for any variable: ['dense_26/kernel:0', ...]" even
with dummy generator/discriminator. Today's tf.keras refuses the captured symbolic
tensors outright (a TypeError about KerasTensors passed to a TF API such as gradient
tapes). Fix: compute the relativistic loss from the tensors of the current step, e.g.
a loss on a concatenated `y_pred`, or a custom train_step/GradientTape.
---
source: https://github.com/tensorflow/tensorflow/issues/37414
framework: keras2
outcome: error
cause: outside_tape
also: [disconnected]
line: [61, 67]
variables: [disc_dense/kernel, disc_dense/bias, gen_dense/kernel, gen_dense/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.keras import Model, backend as K
from tensorflow.keras.layers import Input, Dense, Reshape
from tensorflow.keras.optimizers import SGD

batch_size = 8
dl_size = 16
real_shape = (8, 8)


def MyDisc():
    x = Input(real_shape + (3,))
    y = Dense(1, name="disc_dense")(x)
    return Model(x, y)


def MyGen():
    z = Input((dl_size,), name="LatentZ")
    y = Dense(real_shape[0] * real_shape[1] * 3, name="gen_dense")(z)
    y = Reshape(real_shape + (3,))(y)
    return Model(z, y)


gen = MyGen()
disc = MyDisc()

real = Input(real_shape + (3,))
z = Input((dl_size,))
fake = gen(z)
disc_r = disc(real)
disc_f = disc(fake)


# Generator and discriminator losses according to RaGAN (Jolicoeur-Martineau 2018).
def relGenLoss(y_true, y_pred):
    epsilon = 0.000001
    return -(K.mean(K.log(K.sigmoid(disc_f - K.mean(disc_r, axis=0)) + epsilon), axis=0)
             + K.mean(K.log(1 - K.sigmoid(disc_r - K.mean(disc_f, axis=0)) + epsilon), axis=0))


def relDiscLoss(y_true, y_pred):
    epsilon = 0.000001
    return -(K.mean(K.log(K.sigmoid(disc_r - K.mean(disc_f, axis=0)) + epsilon), axis=0)
             + K.mean(K.log(1 - K.sigmoid(disc_f - K.mean(disc_r, axis=0)) + epsilon), axis=0))


gen.trainable = True
disc.trainable = False
gen_train = Model([real, z], [disc_r, disc_f])
gen_train.compile(SGD(2e-3, .5, nesterov=True), [relGenLoss, None])

gen.trainable = False
disc.trainable = True
disc_train = Model([real, z], [disc_r, disc_f])
disc_train.compile(SGD(3e-3, .5, nesterov=True), [relDiscLoss, None])


def dataGenerator():
    while True:   # stands in for the cv2 anime-faces loader, scaled to [-1, 1]
        yield np.random.uniform(-1, 1, (batch_size,) + real_shape + (3,)).astype("float32")


dummy_y = np.zeros((batch_size,))
gen_loss, disc_loss = [], []
data_generator = dataGenerator()
for i in range(3):
    gen.trainable = False
    disc.trainable = True
    data = next(data_generator)
    z_batch = np.random.normal(scale=.25, size=(batch_size, dl_size)).astype("float32")
    disc_loss.append(disc_train.train_on_batch([data, z_batch], dummy_y))

    gen.trainable = True
    disc.trainable = False
    gen_loss.append(gen_train.train_on_batch([data, z_batch], dummy_y))
print("disc_loss", disc_loss[-1], "gen_loss", gen_loss[-1])
