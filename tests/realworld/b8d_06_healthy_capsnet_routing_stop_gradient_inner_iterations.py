"""Healthy: CapsNet dynamic routing (naturomics/CapsNet-Tensorflow, `capsLayer.routing`),
ported to a Keras layer and trained with a tf.function GradientTape step on the margin loss.
The prediction vectors `u_hat = W^T u` are wrapped once in `tf.stop_gradient` (`u_hat_stopped`).
The inner routing iterations use only the stopped copy to compute the coupling coefficients and
update the logits b_IJ. The last iteration weights the un-stopped `u_hat`, so the loss still
reaches the routing weight W and the convolutional layers below through
`s_J = sum_i c_IJ * u_hat`. The gradient path is broken on purpose only through the routing
logits, and every trainable variable gets a non-zero gradient. The loss falls steadily.
---
source: https://github.com/naturomics/CapsNet-Tensorflow/blob/master/capsLayer.py
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()

epsilon = 1e-9
iter_routing = 3
m_plus, m_minus, lambda_val = 0.9, 0.1, 0.5
batch_size = 16
num_caps_i, len_u_i = 36, 8      # primary capsules
num_caps_j, len_v_j = 4, 8       # "digit" capsules, one per class


def squash(vector):
    vec_squared_norm = tf.reduce_sum(tf.square(vector), -2, keepdims=True)
    scalar_factor = vec_squared_norm / (1 + vec_squared_norm) / tf.sqrt(vec_squared_norm + epsilon)
    return scalar_factor * vector  # element-wise


def routing(input, b_IJ, W):
    # input => [batch_size, num_caps_i, num_caps_j, len_u_i, 1], W => same leading dims, len_v_j last
    input = tf.tile(input, [1, 1, num_caps_j, 1, 1])
    W = tf.tile(W, [tf.shape(input)[0], 1, 1, 1, 1])
    u_hat = tf.matmul(W, input, transpose_a=True)   # [batch_size, num_caps_i, num_caps_j, len_v_j, 1]

    # In forward, u_hat_stopped = u_hat; in backward, no gradient passed back from u_hat_stopped to u_hat
    u_hat_stopped = tf.stop_gradient(u_hat, name='stop_gradient')

    for r_iter in range(iter_routing):
        c_IJ = tf.nn.softmax(b_IJ, axis=2)
        # At last iteration, use `u_hat` in order to receive gradients from the following graph
        if r_iter == iter_routing - 1:
            s_J = tf.multiply(c_IJ, u_hat)
            s_J = tf.reduce_sum(s_J, axis=1, keepdims=True)
            v_J = squash(s_J)
        elif r_iter < iter_routing - 1:  # Inner iterations, do not apply backpropagation
            s_J = tf.multiply(c_IJ, u_hat_stopped)
            s_J = tf.reduce_sum(s_J, axis=1, keepdims=True)
            v_J = squash(s_J)
            v_J_tiled = tf.tile(v_J, [1, num_caps_i, 1, 1, 1])
            u_produce_v = tf.matmul(u_hat_stopped, v_J_tiled, transpose_a=True)
            b_IJ += u_produce_v
    return v_J


class DigitCaps(layers.Layer):
    def build(self, input_shape):
        self.W = self.add_weight(name='Weight', shape=(1, num_caps_i, num_caps_j, len_u_i, len_v_j),
                                 initializer=keras.initializers.RandomNormal(stddev=0.1))

    def call(self, caps):
        input = tf.reshape(caps, (-1, num_caps_i, 1, len_u_i, 1))
        b_IJ = tf.zeros_like(input[:, :, :1, :1, :]) + tf.zeros((1, 1, num_caps_j, 1, 1))
        v_J = routing(input, b_IJ, self.W)
        return tf.squeeze(v_J, axis=[1, 4])          # [batch_size, num_caps_j, len_v_j]


images = keras.Input(shape=(10, 10, 1))
conv1 = layers.Conv2D(16, 3, activation='relu', name='conv1')(images)                 # 8x8x16
primary = layers.Conv2D(num_caps_i // 9 * len_u_i, 3, strides=2, name='primary_caps')(conv1)  # 3x3x32
caps1 = layers.Lambda(lambda t: squash(tf.reshape(t, (-1, num_caps_i, len_u_i, 1))),
                      output_shape=(num_caps_i, len_u_i, 1))(primary)
caps2 = DigitCaps(name='digit_caps')(caps1)
model = keras.Model(images, caps2)


def margin_loss(Y, v_J):
    v_length = tf.sqrt(tf.reduce_sum(tf.square(v_J), axis=-1) + epsilon)
    max_l = tf.square(tf.maximum(0., m_plus - v_length))
    max_r = tf.square(tf.maximum(0., v_length - m_minus))
    L_c = Y * max_l + lambda_val * (1 - Y) * max_r
    return tf.reduce_mean(tf.reduce_sum(L_c, axis=1))


# random images whose class decides where a bright blob is, so the task is learnable
rng = np.random.default_rng(0)
labels = rng.integers(0, num_caps_j, size=256)
X = rng.normal(0, 0.1, size=(256, 10, 10, 1)).astype("float32")
for k, c in enumerate(labels):
    r, q = divmod(int(c), 2)
    X[k, 1 + 5 * r:4 + 5 * r, 1 + 5 * q:4 + 5 * q, 0] += 1.0
Y = np.eye(num_caps_j, dtype="float32")[labels]

optimizer = keras.optimizers.Adam(1e-3)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = margin_loss(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss, grads


for epoch in range(8):
    losses = []
    for i in range(0, 256, batch_size):
        loss, grads = train_step(X[i:i + batch_size], Y[i:i + batch_size])
        losses.append(float(loss))
    if epoch == 0:
        print("all gradients non-zero:",
              all(bool(tf.reduce_any(g != 0)) for g in grads))
print("final loss:", round(float(np.mean(losses)), 4))
