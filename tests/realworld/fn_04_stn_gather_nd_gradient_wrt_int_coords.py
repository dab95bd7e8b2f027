"""Spatial transformer sampler from kevinzakka/spatial-transformer-network (stn/transformer.py:
affine_grid_generator, get_pixel_value, bilinear_sampler), run in a tf.function on a small
batch with a localization net's theta. In issue #19 a user asks whether tf.gather/gather_nd is
differentiable with respect to the sampling coordinates and finds that
`tf.gradients(get_pixel_value(img, x0, y0), x0)` is [None], while the gradient with respect to
`img` exists. The corner coordinates x0/y0 are int32 (`tf.cast(tf.floor(x), 'int32')`) and
integer tensors are constants for tf.gradients; the pixel lookup carries no gradient to its
indices at all. In the real sampler the gradient reaches theta only through the float
bilinear weights wa..wd, which is why the sampler still trains; asking for it through the
gathered values is asking an integer source.
---
source: https://github.com/kevinzakka/spatial-transformer-network/issues/19
framework: both
outcome: gradient_none
cause: integer_variable
also: [nondifferentiable_op]
line: 100
variables: [x0, y0]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)


def get_pixel_value(img, x, y):
    shape = tf.shape(x)
    batch_size = shape[0]
    height = shape[1]
    width = shape[2]

    batch_idx = tf.range(0, batch_size)
    batch_idx = tf.reshape(batch_idx, (batch_size, 1, 1))
    b = tf.tile(batch_idx, (1, height, width))

    indices = tf.stack([b, y, x], 3)

    return tf.gather_nd(img, indices)


def affine_grid_generator(height, width, theta):
    num_batch = tf.shape(theta)[0]

    x = tf.linspace(-1.0, 1.0, width)
    y = tf.linspace(-1.0, 1.0, height)
    x_t, y_t = tf.meshgrid(x, y)

    x_t_flat = tf.reshape(x_t, [-1])
    y_t_flat = tf.reshape(y_t, [-1])

    ones = tf.ones_like(x_t_flat)
    sampling_grid = tf.stack([x_t_flat, y_t_flat, ones])

    sampling_grid = tf.expand_dims(sampling_grid, axis=0)
    sampling_grid = tf.tile(sampling_grid, tf.stack([num_batch, 1, 1]))

    theta = tf.cast(theta, 'float32')
    sampling_grid = tf.cast(sampling_grid, 'float32')

    batch_grids = tf.matmul(theta, sampling_grid)
    batch_grids = tf.reshape(batch_grids, [num_batch, 2, height, width])
    return batch_grids


# localization network: outputs the 6 affine parameters, initialised to identity
localization = keras.Sequential([
    keras.layers.Flatten(),
    keras.layers.Dense(6, kernel_initializer="zeros",
                       bias_initializer=keras.initializers.Constant([1., 0., 0., 0., 1., 0.])),
])


@tf.function
def check_sampler_gradients(img):
    theta = localization(img)
    B = tf.shape(img)[0]
    H = tf.shape(img)[1]
    W = tf.shape(img)[2]
    theta = tf.reshape(theta, [B, 2, 3])
    batch_grids = affine_grid_generator(H, W, theta)
    x = batch_grids[:, 0, :, :]
    y = batch_grids[:, 1, :, :]

    # bilinear_sampler, first half
    max_y = tf.cast(H - 1, 'int32')
    max_x = tf.cast(W - 1, 'int32')
    zero = tf.zeros([], dtype='int32')
    x = 0.5 * ((x + 1.0) * tf.cast(max_x - 1, 'float32'))
    y = 0.5 * ((y + 1.0) * tf.cast(max_y - 1, 'float32'))
    x0 = tf.cast(tf.floor(x), 'int32')
    y0 = tf.cast(tf.floor(y), 'int32')
    x0 = tf.clip_by_value(x0, zero, max_x)
    y0 = tf.clip_by_value(y0, zero, max_y)

    Ia = get_pixel_value(img, x0, y0)

    # is the pixel lookup differentiable w.r.t. the coordinates?
    grad_coords = tf.gradients(Ia, [x0, y0])
    grad_img = tf.gradients(Ia, img)
    return {"d Ia / d x0, y0": grad_coords, "d Ia / d img": grad_img}


img = tf.random.uniform((2, 6, 6, 1))
for name, g in check_sampler_gradients(img).items():
    print(name, [None if t is None else t.shape for t in g])
