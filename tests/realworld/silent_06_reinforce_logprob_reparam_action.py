"""On-policy driver for a Gaussian policy: the action is sampled as mean + std * noise inside the tape and the REINFORCE loss uses log_prob of that same action without stop_gradient, so (action - mean) no longer depends on the policy mean and the mean network's gradients are exactly zero (only log_std learns).

---
source: https://github.com/HorizonRobotics/alf/pull/34
framework: both
outcome: trains_silently
cause: zero_gradient
line: [40, 41]
also: [stop_gradient]
variables: [policy_hidden/kernel, policy_hidden/bias, policy_mean/kernel, policy_mean/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

obs_dim, act_dim = 4, 2


class GaussianPolicy(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(32, activation="tanh", name="policy_hidden")
        self.mean = keras.layers.Dense(act_dim, name="policy_mean")
        self.log_std = self.add_weight(name="log_std", shape=(act_dim,), initializer="zeros")

    def call(self, obs):
        return self.mean(self.hidden(obs)), self.log_std


def log_prob(action, mean, log_std):
    std = tf.exp(log_std)
    return tf.reduce_sum(-0.5 * tf.square((action - mean) / std) - log_std - 0.5 * np.log(2 * np.pi), axis=-1)


def rollout_and_train(policy, optimizer, obs, rewards):
    with tf.GradientTape() as tape:
        mean, log_std = policy(obs)
        action = mean + tf.exp(log_std) * tf.random.normal(tf.shape(mean))
        action_log_prob = log_prob(action, mean, log_std)
        loss = -tf.reduce_mean(action_log_prob * rewards)
    grads = tape.gradient(loss, policy.trainable_variables)
    optimizer.apply_gradients(zip(grads, policy.trainable_variables))
    return loss, grads


policy = GaussianPolicy()
optimizer = keras.optimizers.Adam(1e-2)
obs = np.random.randn(32, obs_dim).astype("float32")
rewards = np.random.randn(32).astype("float32")
for it in range(3):
    loss, grads = rollout_and_train(policy, optimizer, obs, rewards)
    print("iter", it, "loss", float(loss),
          {v.name: float(tf.reduce_max(tf.abs(g))) for v, g in zip(policy.trainable_variables, grads)})
