"""GAN-style model: a Dense generator predicts a box (top-left and bottom-right
coordinates); a weightless custom layer `ImagePaste` turns the box into an image by
creating a `tf.Variable` canvas of ones and writing the box region into it with slice
assignments whose bounds come from the generator output cast to integers; the
discriminator (frozen in the combined model) scores the canvas and the generator is
trained through `gan.train_on_batch`. The pixels reach the discriminator only through
the variable's assign ops and integer slice bounds, neither of which carries a gradient,
so the generator's Dense layers get none and training fails with "No gradients provided
for any variable". The paste must be built from differentiable ops on the coordinates
(e.g. soft masks), not by assigning into a variable.
---
source: https://github.com/tensorflow/tensorflow/issues/42244
framework: both
outcome: error
cause: variable_assign
also: [integer_cast]
line: [46, 50]
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, Model, Input

BATCH = 4
CANVAS = 72


class ImagePaste(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super(ImagePaste, self).__init__(**kwargs)
        self.canvas_size = CANVAS

    def build(self, input_shape):
        self.batch_s = BATCH
        self.canvas = tf.Variable(tf.ones([self.batch_s, self.canvas_size, self.canvas_size, 1]),
                                  trainable=False)
        super(ImagePaste, self).build(input_shape)

    def compute_output_shape(self, input_shape):
        return (self.batch_s, self.canvas_size, self.canvas_size, 1)

    def call(self, input_data, t_val=255):
        positions = tf.convert_to_tensor(input_data)
        positions = tf.reshape(positions, [-1, 2, 2])
        coords = tf.cast(positions * (self.canvas_size - 1), tf.int32)
        self.canvas.assign(tf.ones([self.batch_s, self.canvas_size, self.canvas_size, 1]))
        for i in range(self.batch_s):
            y1, x1, y2, x2 = coords[i, 0, 0], coords[i, 0, 1], coords[i, 1, 0], coords[i, 1, 1]
            self.canvas[i, y1:y2, x1:x2, :].assign(
                tf.zeros_like(self.canvas[i, y1:y2, x1:x2, :]) + t_val / 255.0)
        return self.canvas.read_value()


def make_generator():
    z = Input(shape=(8,))
    h = layers.Dense(16, activation="relu")(z)
    box = layers.Dense(4, activation="sigmoid")(h)
    return Model(z, box, name="generator")


def make_discriminator():
    img = Input(shape=(CANVAS, CANVAS, 1))
    h = layers.Conv2D(4, 3, strides=4, activation="relu")(img)
    h = layers.Flatten()(h)
    out = layers.Dense(1, activation="sigmoid")(h)
    d = Model(img, out, name="discriminator")
    d.compile(optimizer="adam", loss="binary_crossentropy")
    return d


generator = make_generator()
discriminator = make_discriminator()
discriminator.trainable = False
z_in = Input(shape=(8,), batch_size=BATCH)
gan = Model(z_in, discriminator(ImagePaste()(generator(z_in))))
gan.compile(optimizer="adam", loss="binary_crossentropy")

noise = np.random.randn(BATCH, 8).astype("float32")
valid = np.ones((BATCH, 1), dtype="float32")
print(gan.train_on_batch(noise, valid))
