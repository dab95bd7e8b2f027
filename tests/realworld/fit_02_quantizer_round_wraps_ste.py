"""Learned image compression autoencoder (encoder -> quantizer -> decoder) trained with model.fit on a
distortion loss. The quantizer's straight-through trick is wrapped in tf.round(...), so no gradient
reaches the encoder: Keras warns and only the decoder learns.

---
source: https://github.com/Justin-Tan/generative-compression/issues/51
framework: keras3
outcome: warning
cause: nondifferentiable_op
line: 57
variables: [conv2d/kernel, conv2d/bias, conv2d_1/kernel, conv2d_1/bias, conv2d_2/kernel, conv2d_2/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras
from keras import layers


class Network(object):

    @staticmethod
    def encoder(input_shape, C, actv="relu", scope="image"):
        """Process image x into a feature map of size W/4 x H/4 x C."""
        x = keras.Input(input_shape)
        out = layers.Conv2D(16, 5, strides=1, padding="same", activation=actv)(x)
        out = layers.Conv2D(32, 3, strides=2, padding="same", activation=actv)(out)
        feature_map = layers.Conv2D(C, 3, strides=2, padding="same", activation=actv)(out)
        return keras.Model(x, feature_map, name="encoder_{}".format(scope))

    @staticmethod
    def decoder(input_shape, actv="relu"):
        """Attempt to reconstruct the image from the quantized representation w_bar."""
        w_bar = keras.Input(input_shape)
        up = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation=actv)(w_bar)
        up = layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation=actv)(up)
        reconstruction = layers.Conv2D(3, 5, padding="same", activation="tanh")(up)
        return keras.Model(w_bar, reconstruction, name="decoder")


class Quantizer(layers.Layer):
    """Quantize feature map over L centers to obtain discrete w_hat. Centers: {-2,-1,0,1,2}"""

    def __init__(self, temperature=1.0, L=5, **kwargs):
        super().__init__(**kwargs)
        self.temperature, self.L = temperature, L

    def call(self, w):
        centers = tf.cast(tf.range(-2, 3), tf.float32)
        # Partition W into the Voronoi tesellation over the centers
        w_stack = tf.stack([w for _ in range(self.L)], axis=-1)
        w_hard = tf.cast(tf.argmin(tf.abs(w_stack - centers), axis=-1), tf.float32) + tf.reduce_min(centers)
        smx = tf.nn.softmax(-1.0 / self.temperature * tf.abs(w_stack - centers), axis=-1)
        w_soft = tf.einsum("ijklm,m->ijkl", smx, centers)
        # Treat quantization as differentiable for optimization
        w_bar = tf.round(tf.stop_gradient(w_hard - w_soft) + w_soft)
        return w_bar


channel_bottleneck = 4
example = keras.Input((32, 32, 3))
enc = Network.encoder((32, 32, 3), channel_bottleneck)
dec = Network.decoder((8, 8, channel_bottleneck))
feature_map = enc(example)
w_hat = Quantizer(name="quantizer_image")(feature_map)
reconstruction = dec(w_hat)
model = keras.Model(example, reconstruction)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")  # distortion penalty

images = np.random.uniform(-1, 1, (16, 32, 32, 3)).astype("float32")
before = [v.numpy().copy() for v in enc.trainable_variables]
model.fit(images, images, batch_size=8, epochs=1, verbose=0)
print("encoder unchanged:", all(np.array_equal(b, v.numpy()) for b, v in zip(before, enc.trainable_variables)))
