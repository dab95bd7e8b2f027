"""Recurrent Attention Model (Mnih et al. 2014) from zhongwen/RAM, ported to a
TF2 GradientTape loop. A glimpse network reads a retina patch with
tf.image.extract_glimpse at location l_t, an LSTM core integrates glimpses,
LocNet emits the mean of a Gaussian location policy, and the loss is
cross-entropy + REINFORCE (log N(l_t; mean, sigma) * (R - baseline)) + baseline
MSE. A user printing the gradient of every variable found that the location
network's weights get None. LocNet wraps *both* the sampled location and the
mean in tf.stop_gradient; stopping the sample is intended (extract_glimpse is
not differentiable with respect to the location anyway), but the mean is the
only path from the REINFORCE term back to loc_net, so stopping it disconnects
the location policy from every loss term. Fix: drop
`mean = tf.stop_gradient(mean)` and keep only the stop on the sampled location.
---
source: https://github.com/zhongwen/RAM/issues/3
framework: both
outcome: gradient_none
cause: stop_gradient
line: 60
variables: [loc_net_w, loc_net_b]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)


class Config:
    batch_size, img_size, win_size, num_glimpses = 8, 28, 8, 3
    loc_dim, glimpse_dim, cell_size, num_classes, loc_std = 2, 32, 64, 10, 0.22


def weight_variable(shape, name):
    return tf.Variable(tf.random.truncated_normal(shape, stddev=0.01), name=name)


def bias_variable(shape, name):
    return tf.Variable(tf.constant(0.0, shape=shape), name=name)


class GlimpseNet:
    def __init__(self, config, images):
        self.c, self.images = config, images
        self.w_g = weight_variable((config.win_size ** 2, config.glimpse_dim), "glimpse_w_g")
        self.w_l = weight_variable((config.loc_dim, config.glimpse_dim), "glimpse_w_l")

    def __call__(self, loc):
        glimpse = tf.image.extract_glimpse(self.images, [self.c.win_size] * 2, loc, centered=True)
        g = tf.reshape(glimpse, (tf.shape(loc)[0], -1))
        return tf.nn.relu(tf.matmul(g, self.w_g) + tf.matmul(loc, self.w_l))


class LocNet:
    def __init__(self, config):
        self.loc_dim, self.loc_std, self._sampling = config.loc_dim, config.loc_std, True
        self.w = weight_variable((config.cell_size, config.loc_dim), "loc_net_w")
        self.b = bias_variable((config.loc_dim,), "loc_net_b")

    def __call__(self, input):
        mean = tf.clip_by_value(tf.compat.v1.nn.xw_plus_b(input, self.w, self.b), -1., 1.)
        mean = tf.stop_gradient(mean)
        if self._sampling:
            loc = mean + tf.random.normal((tf.shape(input)[0], self.loc_dim), stddev=self.loc_std)
            loc = tf.clip_by_value(loc, -1., 1.)
        else:
            loc = mean
        loc = tf.stop_gradient(loc)
        return loc, mean


def loglikelihood(mean_arr, sampled_arr, sigma):
    mu, sampled = tf.stack(mean_arr), tf.stack(sampled_arr)          # (T, B, 2)
    logll = -0.5 * tf.square((sampled - mu) / sigma) - float(np.log(sigma * np.sqrt(2 * np.pi)))
    return tf.transpose(tf.reduce_sum(logll, 2))                      # (B, T)


config = Config()
images = tf.random.uniform((config.batch_size, config.img_size, config.img_size, 1))
labels = tf.random.uniform((config.batch_size,), 0, config.num_classes, tf.int64)
gl = GlimpseNet(config, images)
loc_net = LocNet(config)
cell = tf.keras.layers.LSTMCell(config.cell_size, name="core_lstm")
w_b, b_b = weight_variable((config.cell_size, 1), "baseline_w"), bias_variable((1,), "baseline_b")
w_c, b_c = weight_variable((config.cell_size, config.num_classes), "cls_w"), bias_variable((config.num_classes,), "cls_b")
optimizer = tf.keras.optimizers.Adam(1e-3)

for step in range(2):
    with tf.GradientTape() as tape:
        loc = tf.random.uniform((config.batch_size, 2), -1.0, 1.0)
        state = [tf.zeros((config.batch_size, config.cell_size))] * 2
        loc_mean_arr, sampled_loc_arr, baselines = [], [], []
        for t in range(config.num_glimpses):
            output, state = cell(gl(loc), state)
            loc, loc_mean = loc_net(output)
            loc_mean_arr.append(loc_mean); sampled_loc_arr.append(loc)
            baselines.append(tf.squeeze(tf.matmul(output, w_b) + b_b, 1))
        baselines = tf.stack(baselines, 1)                                   # (B, T)
        logits = tf.matmul(output, w_c) + b_c
        xent = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        reward = tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32)
        rewards = tf.tile(reward[:, None], [1, config.num_glimpses])
        logll = loglikelihood(loc_mean_arr, sampled_loc_arr, config.loc_std)
        advs = rewards - tf.stop_gradient(baselines)
        logllratio = tf.reduce_mean(logll * advs)
        baselines_mse = tf.reduce_mean(tf.square(rewards - baselines))
        loss = -logllratio + xent + baselines_mse
    var_list = [gl.w_g, gl.w_l, loc_net.w, loc_net.b, w_b, b_b, w_c, b_c] + cell.trainable_variables
    grads = tape.gradient(loss, var_list)
    print(f"step {step} loss {float(loss):.4f}")
    for v, g in zip(var_list, grads):
        print(f"  {v.name:28s} {'None' if g is None else 'ok'}")
    optimizer.apply_gradients([(g, v) for g, v in zip(grads, var_list) if g is not None])
