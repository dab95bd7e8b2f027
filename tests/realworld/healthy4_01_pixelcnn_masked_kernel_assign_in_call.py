"""PixelCNN from the keras.io example, trained on random binary 8x8 "images". The custom
PixelConvLayer wraps a Conv2D: `build()` builds the inner conv and turns its kernel shape
into a NumPy mask, and `call()` first re-assigns `self.conv.kernel` to `kernel * mask`
(a `Variable.assign` inside the forward pass) and then runs the conv. This looks like the
"assign breaks the chain" mistake, but it is not: the assign happens before the conv
reads the kernel, so the conv still reads the variable itself and every kernel gets a
gradient (the masked entries get a gradient too, and are zeroed again on the next call).
The network trains with binary cross-entropy through `model.fit`. Sizes shrunk (16
filters, 2 residual blocks, 8x8 inputs) and MNIST replaced by random 0/1 images.
---
source: https://github.com/keras-team/keras-io/blob/master/examples/generative/pixelcnn.py
framework: both
outcome: trains_fine
cause: none
line: 0
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()

"""
##Getting the Data
"""

# Model / data parameters
num_classes = 10
input_shape = (8, 8, 1)
n_residual_blocks = 2
# Random stand-in for MNIST: pixel values thresholded to 0 or 1 as in the example.
rng = np.random.default_rng(0)
data = rng.integers(0, 256, size=(128, 8, 8))
data = np.where(data < (0.33 * 256), 0, 1)
data = data.astype(np.float32)[..., None]


# the first layer to create will be the PixelCNN layer, this layer simply
# builds on the 2D convolutional layer but with the requisite masking included
class PixelConvLayer(layers.Layer):
    def __init__(self, mask_type, **kwargs):
        super(PixelConvLayer, self).__init__()
        self.mask_type = mask_type
        self.conv = layers.Conv2D(**kwargs)

    def build(self, input_shape):
        # build the conv2d layer to initialize kernel variables
        self.conv.build(input_shape)
        # use said initialized kernel to develop the mask
        kernel_shape = tuple(self.conv.kernel.shape)
        self.mask = np.zeros(shape=kernel_shape)
        self.mask[: kernel_shape[0] // 2, ...] = 1.0
        self.mask[kernel_shape[0] // 2, : kernel_shape[1] // 2, ...] = 1.0
        if self.mask_type == "B":
            self.mask[kernel_shape[0] // 2, kernel_shape[1] // 2, ...] = 1.0

    def call(self, inputs):
        self.conv.kernel.assign(self.conv.kernel * self.mask)
        return self.conv(inputs)


# Next we build our residual block layer,
# this is just a normal residual block but with the PixelConvLayer built in
class ResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super(ResidualBlock, self).__init__(**kwargs)
        self.a = keras.layers.ReLU()
        self.b = keras.layers.Conv2D(filters=filters, kernel_size=1, activation="relu")
        self.c = PixelConvLayer(
            mask_type="B",
            filters=filters // 2,
            kernel_size=3,
            activation="relu",
            padding="same",
        )
        self.d = keras.layers.Conv2D(filters=filters, kernel_size=1, activation="relu")

    def call(self, inputs):
        x = self.a(inputs)
        x = self.b(x)
        x = self.c(x)
        x = self.d(x)
        return keras.layers.add([inputs, x])


inputs = keras.Input(shape=input_shape)
x = PixelConvLayer(
    mask_type="A", filters=16, kernel_size=7, padding="same", activation="relu"
)(inputs)

for _ in range(n_residual_blocks):
    x = ResidualBlock(filters=16)(x)

for _ in range(2):
    x = PixelConvLayer(
        mask_type="B",
        filters=16,
        kernel_size=1,
        strides=1,
        activation="relu",
        padding="valid",
    )(x)

out = keras.layers.Conv2D(
    filters=1, kernel_size=1, strides=1, activation="sigmoid", padding="valid"
)(x)

pixel_cnn = keras.Model(inputs, out)
adam = keras.optimizers.Adam(learning_rate=0.001)
pixel_cnn.compile(optimizer=adam, loss="binary_crossentropy")

before = [v.numpy().copy() for v in pixel_cnn.trainable_variables]
history = pixel_cnn.fit(x=data, y=data, batch_size=32, epochs=3, validation_split=0.1, verbose=0)
changed = sum(not np.allclose(b, v.numpy()) for b, v in zip(before, pixel_cnn.trainable_variables))
print("trainable variables changed: %d/%d" % (changed, len(before)))
print("final loss:", round(float(history.history["loss"][-1]), 4))
