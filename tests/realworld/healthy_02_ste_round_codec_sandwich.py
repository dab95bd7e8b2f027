"""Sandwiched compression: a pre-processor CNN, a codec proxy that quantizes DCT-like
coefficients with `differentiable_round(x) = x + tf.stop_gradient(tf.round(x) - x)`
(round forward, identity backward), and a post-processor CNN, trained end to end on
distortion + rate with a custom tape loop. Both networks and the learned qstep train.

---
source: https://github.com/google/sandwiched_compression/blob/HEAD/image_compression/encode_decode_intra_lib.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace


def differentiable_round(x: tf.Tensor) -> tf.Tensor:
    """Straight-through rounding: forward = round, backward = identity."""
    return x + tf.stop_gradient(tf.round(x) - x)


class EncodeDecodeIntra(tf.keras.layers.Layer):
    """Codec proxy: 2x2 block transform, quantize with a learned qstep, inverse."""

    def __init__(self, rounding_fn=differentiable_round, qstep_init=0.2, **kwargs):
        super().__init__(**kwargs)
        self.rounding_fn = rounding_fn
        self.qstep = self.add_weight(
            name="qstep", shape=(), initializer=tf.constant_initializer(qstep_init), trainable=True
        )

    def call(self, images):
        blocks = tf.nn.space_to_depth(images, 2)  # (B, H/2, W/2, 4)
        quantized = self.rounding_fn(blocks / self.qstep)
        rate = tf.reduce_mean(tf.math.log(1.0 + tf.abs(quantized)))
        dequantized = quantized * self.qstep
        return tf.nn.depth_to_space(dequantized, 2), rate


def conv_net(name):
    return tf.keras.Sequential(
        [
            tf.keras.Input((16, 16, 1)),
            tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
            tf.keras.layers.Conv2D(1, 3, padding="same"),
        ],
        name=name,
    )


pre_processor = conv_net("pre_processor")
post_processor = conv_net("post_processor")
intra_compression_layer = EncodeDecodeIntra(name="codec")
optimizer = tf.keras.optimizers.Adam(1e-2)
images = tf.random.uniform((16, 16, 16, 1))
gamma = 0.01

intra_compression_layer(images)
variables = (
    pre_processor.trainable_variables
    + intra_compression_layer.trainable_variables
    + post_processor.trainable_variables
)
before = [v.numpy().copy() for v in variables]
losses = []
for step in range(20):
    with tf.GradientTape() as tape:
        bottleneck = pre_processor(images)
        compressed_bottleneck, rate = intra_compression_layer(bottleneck)
        prediction = post_processor(compressed_bottleneck)
        distortion = tf.reduce_mean(tf.square(prediction - images))
        loss = distortion + gamma * rate
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables))
    losses.append(float(loss))
changed = [not np.allclose(b, v.numpy()) for b, v in zip(before, variables)]
print("loss", losses[0], "->", losses[-1])
assert all(changed), changed
assert losses[-1] < losses[0]
print("ok")
