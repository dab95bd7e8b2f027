"""Noisy-net DQN agent (n-step TD): the NoisyDense layer forms its noisy kernel and bias (mu + sigma * eps) once in build(); the agent's first action selection builds the layer eagerly, so train_on_batch later sees two constant tensors and the mu/sigma variables never get a gradient.

---
source: https://github.com/tensorflow/tensorflow/issues/32729
framework: keras2
outcome: warning
cause: outside_tape
line: [35, 36]
static: false
variables: [noisy_dense/Variable]
"""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tensorflow.keras.layers as kl


class NoisyDense(kl.Layer):
    def __init__(self, units, std_init=0.5):
        super().__init__()
        self.units = units
        self.std_init = std_init

    def build(self, input_shape):
        self.reset_noise(input_shape[-1])
        mu_range = 1 / np.sqrt(input_shape[-1])
        mu_initializer = tf.random_uniform_initializer(-mu_range, mu_range)
        sigma_initializer = tf.constant_initializer(self.std_init / np.sqrt(self.units))
        self.weight_mu = tf.Variable(initial_value=mu_initializer(shape=(input_shape[-1], self.units), dtype="float32"), trainable=True)
        self.weight_sigma = tf.Variable(initial_value=sigma_initializer(shape=(input_shape[-1], self.units), dtype="float32"), trainable=True)
        self.bias_mu = tf.Variable(initial_value=mu_initializer(shape=(self.units,), dtype="float32"), trainable=True)
        self.bias_sigma = tf.Variable(initial_value=sigma_initializer(shape=(self.units,), dtype="float32"), trainable=True)
        self.kernel = self.weight_mu + self.weight_sigma * self.weights_eps
        self.bias = self.bias_mu + self.bias_sigma * self.bias_eps

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel) + self.bias

    def _scale_noise(self, dim):
        noise = tf.random.normal([dim])
        return tf.sign(noise) * tf.sqrt(tf.abs(noise))

    def reset_noise(self, input_shape):
        eps_in = self._scale_noise(input_shape)
        eps_out = self._scale_noise(self.units)
        self.weights_eps = tf.multiply(tf.expand_dims(eps_in, 1), eps_out)
        self.bias_eps = eps_out


class BasicNstepTD(tf.keras.Model):
    def __init__(self, num_actions):
        super().__init__(name="basic_nstepTD")
        self.fc1 = kl.Dense(32, activation="relu")
        self.noisy = NoisyDense(num_actions)

    def call(self, inputs):
        return self.noisy(self.fc1(inputs))

    def action_value(self, obs):
        q_values = self.predict(obs, verbose=0)
        return np.argmax(q_values, axis=-1)


num_actions, obs_dim, gamma, n_step = 3, 4, 0.9, 3
model = BasicNstepTD(num_actions)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="mse")

obs = np.random.randn(64, obs_dim).astype(np.float32)
actions = model.action_value(obs)              # first call: builds the layers
rewards = np.random.rand(64).astype(np.float32)
next_q = model.predict(obs, verbose=0)
target_q = next_q.copy()
target_q[np.arange(64), actions] = rewards + gamma ** n_step * next_q.max(axis=1)

w0 = model.noisy.weight_mu.numpy().copy()
for it in range(2):
    losses = model.train_on_batch(obs, target_q)
    print("iter", it, losses)
print("weight_mu unchanged:", np.allclose(w0, model.noisy.weight_mu.numpy()))
