"""WDSR super-resolution model ported to TF2 with a hand-written Conv2DWeightNorm (from a TF1 repo) instead of tfa's wrapper: build() replaces self.kernel by the normalised tensor kernel * g / ||kernel|| once, so the @tf.function train step never reads g and the optimizer warns that the wn_g variables have no gradient (the raw kernels silently stop being trained).

---
source: https://github.com/krasserm/super-resolution/issues/97
framework: keras2
outcome: warning
cause: outside_tape
line: 28
static: false
variables: [wn_g]
"""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Add, Input, Lambda
from tensorflow.keras.models import Model


class Conv2DWeightNorm(tf.keras.layers.Conv2D):
    def build(self, input_shape):
        self.wn_g = self.add_weight(name="wn_g", shape=(self.filters,), dtype=self.dtype,
                                    initializer=tf.keras.initializers.Ones(), trainable=True)
        super(Conv2DWeightNorm, self).build(input_shape)
        square_sum = tf.reduce_sum(tf.square(self.kernel), [0, 1, 2], keepdims=False)
        inv_norm = tf.math.rsqrt(square_sum)
        self.kernel = self.kernel * (inv_norm * self.wn_g)


def conv2d_weightnorm(filters, kernel_size, padding="same", activation=None, **kwargs):
    return Conv2DWeightNorm(filters, kernel_size, padding=padding, activation=activation, **kwargs)


def subpixel_conv2d(scale):
    return lambda x: tf.nn.depth_to_space(x, scale)


def res_block_b(x_in, num_filters, expansion, kernel_size, scaling):
    linear = 0.8
    x = conv2d_weightnorm(num_filters * expansion, 1, activation="relu")(x_in)
    x = conv2d_weightnorm(int(num_filters * linear), 1)(x)
    x = conv2d_weightnorm(num_filters, kernel_size)(x)
    if scaling:
        x = Lambda(lambda t: t * scaling)(x)
    return Add()([x_in, x])


def wdsr(scale, num_filters, num_res_blocks, res_block_expansion, res_block_scaling):
    x_in = Input(shape=(None, None, 3))
    x = Lambda(lambda t: (t - 0.5) * 2.0)(x_in)
    m = conv2d_weightnorm(num_filters, 3)(x)
    for i in range(num_res_blocks):
        m = res_block_b(m, num_filters, res_block_expansion, kernel_size=3, scaling=res_block_scaling)
    m = conv2d_weightnorm(3 * scale ** 2, 3, name=f"conv2d_main_scale_{scale}")(m)
    m = Lambda(subpixel_conv2d(scale))(m)
    s = conv2d_weightnorm(3 * scale ** 2, 5, name=f"conv2d_skip_scale_{scale}")(x)
    s = Lambda(subpixel_conv2d(scale))(s)
    x = Add()([m, s])
    x = Lambda(lambda t: t * 0.5 + 0.5)(x)
    return Model(x_in, x, name="wdsr")


model = wdsr(scale=2, num_filters=8, num_res_blocks=2, res_block_expansion=2, res_block_scaling=None)
optimizer = tf.keras.optimizers.Adam(1e-3)
loss = tf.keras.losses.MeanAbsoluteError()


@tf.function
def train_step(lr, hr):
    with tf.GradientTape() as tape:
        lr = tf.cast(lr, tf.float32)
        hr = tf.cast(hr, tf.float32)
        sr = model(lr, training=True)
        loss_value = loss(hr, sr)
    gradients = tape.gradient(loss_value, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss_value


lr_batch = np.random.rand(4, 12, 12, 3).astype(np.float32)
hr_batch = np.random.rand(4, 24, 24, 3).astype(np.float32)
g0 = model.get_layer("conv2d_main_scale_2").wn_g.numpy().copy()
for step in range(3):
    print("step", step, float(train_step(lr_batch, hr_batch)))
print("wn_g unchanged:", np.allclose(g0, model.get_layer("conv2d_main_scale_2").wn_g.numpy()))
