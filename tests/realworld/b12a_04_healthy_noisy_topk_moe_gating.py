"""Healthy: sparsely-gated mixture of experts with noisy top-k gating.
Adapted from the TensorFlow noisy_top_k_gating / cv_squared / _prob_in_top_k
helpers of tensor2tensor's expert_utils (Shazeer et al. 2017) as a Keras layer
trained in a GradientTape loop. It looks suspicious: the experts are selected
with tf.math.top_k and the gates are scattered into place by *indices*, which
users often read as "top-k is not differentiable, w_gate can never train".
But the softmax of the top-k *values* is what gets scattered, so w_gate gets a
gradient through the kept gates, and w_noise gets one through the smooth
load estimate (normal CDF) in the balancing loss. All variables receive
gradients and the loss goes down.
---
source: https://github.com/tensorflow/tensor2tensor/blob/master/tensor2tensor/utils/expert_utils.py
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
keras = tf.keras


def cv_squared(x):
    epsilon = 1e-10
    mean, variance = tf.nn.moments(x, axes=[0])
    return variance / (tf.square(mean) + epsilon)


def _rowwise_unsorted_segment_sum(values, indices, n):
    batch, k = tf.unstack(tf.shape(indices), num=2)
    indices_flat = tf.reshape(indices, [-1]) + tf.repeat(tf.range(batch) * n, k)
    ret_flat = tf.math.unsorted_segment_sum(tf.reshape(values, [-1]), indices_flat, batch * n)
    return tf.reshape(ret_flat, [batch, n])


def _prob_in_top_k(clean_values, noisy_values, noise_stddev, noisy_top_values, k):
    batch = tf.shape(clean_values)[0]
    m = tf.shape(noisy_top_values)[1]
    top_values_flat = tf.reshape(noisy_top_values, [-1])
    threshold_positions_if_in = tf.range(batch) * m + k
    threshold_if_in = tf.expand_dims(tf.gather(top_values_flat, threshold_positions_if_in), 1)
    is_in = tf.greater(noisy_values, threshold_if_in)
    threshold_if_out = tf.expand_dims(tf.gather(top_values_flat, threshold_positions_if_in - 1), 1)
    normal = lambda z: 0.5 * (1.0 + tf.math.erf(z / np.sqrt(2.0)))
    prob_if_in = normal((clean_values - threshold_if_in) / noise_stddev)
    prob_if_out = normal((clean_values - threshold_if_out) / noise_stddev)
    return tf.where(is_in, prob_if_in, prob_if_out)


class MoE(keras.layers.Layer):
    def __init__(self, num_experts, out_dim, k=2, noise_epsilon=1e-2, name=None):
        super().__init__(name=name)
        self.num_experts, self.k, self.noise_epsilon = num_experts, k, noise_epsilon
        self.experts = [keras.layers.Dense(out_dim, name=f"expert_{i}") for i in range(num_experts)]

    def build(self, input_shape):
        d = input_shape[-1]
        self.w_gate = self.add_weight(name="w_gate", shape=(d, self.num_experts), initializer="zeros")
        self.w_noise = self.add_weight(name="w_noise", shape=(d, self.num_experts), initializer="zeros")

    def noisy_top_k_gating(self, x, train):
        clean_logits = tf.matmul(x, self.w_gate)
        raw_noise_stddev = tf.matmul(x, self.w_noise)
        noise_stddev = (tf.nn.softplus(raw_noise_stddev) + self.noise_epsilon) * float(train)
        noisy_logits = clean_logits + tf.random.normal(tf.shape(clean_logits)) * noise_stddev
        logits = noisy_logits
        top_logits, top_indices = tf.math.top_k(logits, k=min(self.k + 1, self.num_experts))
        top_k_logits = top_logits[:, :self.k]
        top_k_indices = top_indices[:, :self.k]
        top_k_gates = tf.nn.softmax(top_k_logits)
        gates = _rowwise_unsorted_segment_sum(top_k_gates, top_k_indices, self.num_experts)
        load = tf.reduce_sum(_prob_in_top_k(clean_logits, noisy_logits, noise_stddev,
                                            top_logits, self.k), 0)
        return gates, load

    def call(self, x, train=True, loss_coef=1e-2):
        gates, load = self.noisy_top_k_gating(x, train)
        importance = tf.reduce_sum(gates, 0)
        aux_loss = (cv_squared(importance) + cv_squared(load)) * loss_coef
        expert_outputs = tf.stack([e(x) for e in self.experts], axis=1)
        y = tf.reduce_sum(gates[:, :, None] * expert_outputs, axis=1)
        return y, aux_loss


moe = MoE(num_experts=4, out_dim=1, k=2, name="moe")
x = tf.constant(np.random.randn(256, 8).astype("float32"))
y_true = tf.constant((np.sin(x[:, :1].numpy()) + x[:, 1:2].numpy() ** 2).astype("float32"))
optimizer = keras.optimizers.Adam(1e-2)

for step in range(200):
    with tf.GradientTape() as tape:
        y_pred, aux_loss = moe(x, train=True)
        mse = tf.reduce_mean(tf.square(y_pred - y_true))
        loss = mse + aux_loss
    grads = tape.gradient(loss, moe.trainable_variables)
    optimizer.apply_gradients(zip(grads, moe.trainable_variables))
    if step == 0:
        print("variables without gradient:",
              [v.name for v, g in zip(moe.trainable_variables, grads) if g is None])
        print("w_gate grad norm:", float(tf.norm(grads[[v.name for v in moe.trainable_variables].index(moe.w_gate.name)])))
    if step % 50 == 0 or step == 199:
        print(f"step {step} mse {float(mse):.4f} aux {float(aux_loss):.4f}")
