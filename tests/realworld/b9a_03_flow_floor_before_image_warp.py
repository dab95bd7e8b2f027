"""The user predicts a dense flow field with a Conv2D model, resizes it to the
image size, scales it and rounds it down with `tf.math.floor`, then warps the
input image with `tfa.image.dense_image_warp` and takes an MAE loss. Every
gradient returned by `tape.gradient(loss, model.trainable_variables)` is None,
and they blamed the warp op. The warp itself is differentiable with respect to
the flow (bilinear interpolation); what cuts the chain is the `tf.math.floor`
applied to the flow: TensorFlow registers no gradient for Floor, so nothing flows
back from the warped image to the conv weights. Fix: drop the floor (or use a
straight-through estimator). tensorflow_addons is gone, so a compact copy of
its bilinear `dense_image_warp` is inlined below; sizes are shrunk.
---
source: https://github.com/tensorflow/addons/issues/2266
framework: both
outcome: gradient_none
cause: nondifferentiable_op
line: 60
variables: [conv2d]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


def _interpolate_bilinear(grid, query_points):
    # grid: [B, H, W, C]; query_points: [B, N, 2] as (y, x), like tfa.
    shape = tf.shape(grid)
    batch, height, width = shape[0], shape[1], shape[2]
    qy, qx = tf.unstack(query_points, axis=2)
    y0 = tf.clip_by_value(tf.floor(qy), 0.0, tf.cast(height - 2, tf.float32))
    x0 = tf.clip_by_value(tf.floor(qx), 0.0, tf.cast(width - 2, tf.float32))
    ay = tf.clip_by_value(qy - y0, 0.0, 1.0)[..., None]
    ax = tf.clip_by_value(qx - x0, 0.0, 1.0)[..., None]
    y0i, x0i = tf.cast(y0, tf.int32), tf.cast(x0, tf.int32)
    b = tf.broadcast_to(tf.range(batch)[:, None], tf.shape(y0i))

    def gather(yi, xi):
        return tf.gather_nd(grid, tf.stack([b, yi, xi], axis=-1))

    top = gather(y0i, x0i) * (1 - ax) + gather(y0i, x0i + 1) * ax
    bottom = gather(y0i + 1, x0i) * (1 - ax) + gather(y0i + 1, x0i + 1) * ax
    return top * (1 - ay) + bottom * ay


def dense_image_warp(image, flow):
    b, h, w, c = image.shape
    gy, gx = tf.meshgrid(tf.range(h), tf.range(w), indexing="ij")
    grid = tf.cast(tf.stack([gy, gx], axis=2), flow.dtype)[None]
    query = tf.reshape(grid - flow, [b, h * w, 2])
    return tf.reshape(_interpolate_bilinear(image, query), [b, h, w, c])


@tf.function
def image_warp(images, flows):

    h, w = images.shape[1:3]
    denorm = w / 10.

    flows = tf.image.resize(flows, (h, w))
    flows = tf.math.floor(flows * denorm)
    dense_img_warp = dense_image_warp(images, flows)

    return dense_img_warp


model = tf.keras.Sequential([
    tf.keras.Input((32, 32, 3)),
    tf.keras.layers.Conv2D(2, (3, 3), strides=(2, 2), name="conv2d")
])

x, y = tf.random.normal((1, 32, 32, 3)), tf.ones((1, 32, 32, 3))

with tf.GradientTape() as tape:
    pf = model(x)
    p = image_warp(x, pf)
    loss = tf.reduce_mean(tf.keras.losses.mae(y, p))

grads = tape.gradient(loss, model.trainable_variables)
print(grads)
