"""A DQN user (Rainbow-style, CartPole) wrote a factorized-Gaussian NoisyDense
layer and put the noisy kernel/bias arithmetic
`self.kernel = self.weight_mu + self.weight_sigma * self.weights_eps` into
`build()` instead of `call()`. Training the subclassed model with
`compile(loss=self._per_loss)` + `train_on_batch` reported that the NoisyDense
variables have `None` for gradient (TF 2.0 raised; tf-keras 2.21 warns
"Gradients do not exist" and trains only the two shared Dense layers). Cause:
`build()` runs once, eagerly, on the first call - outside any GradientTape -
so `self.kernel`/`self.bias` are frozen constant tensors; the forward pass in
`call()` never reads the variables. The user confirmed the fix: move the two
lines into `call()`. (Keras 3 does not even track the raw tf.Variables, so this
reproduces only under tf-keras.)
---
source: https://github.com/tensorflow/tensorflow/issues/32729
framework: keras2
outcome: warning
cause: outside_tape
line: [49, 50]
variables: [noisy_dense/weight_mu, noisy_dense/weight_sigma, noisy_dense/bias_mu, noisy_dense/bias_sigma]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tensorflow.keras.layers as kl
import tensorflow.keras.optimizers as ko
tf.keras.utils.set_random_seed(0)


# Factorized Gaussian Noise Layer
class NoisyDense(kl.Layer):
    def __init__(self, units, std_init=0.5):
        super().__init__(name="noisy_dense")
        self.units = units
        self.std_init = std_init

    def build(self, input_shape):
        self.reset_noise(input_shape[-1])
        mu_range = 1 / np.sqrt(input_shape[-1])
        mu_initializer = tf.random_uniform_initializer(-mu_range, mu_range)
        sigma_initializer = tf.constant_initializer(self.std_init / np.sqrt(self.units))
        self.weight_mu = tf.Variable(initial_value=mu_initializer(shape=(input_shape[-1], self.units), dtype='float32'),
                                     trainable=True, name="weight_mu")
        self.weight_sigma = tf.Variable(initial_value=sigma_initializer(shape=(input_shape[-1], self.units), dtype='float32'),
                                        trainable=True, name="weight_sigma")
        self.bias_mu = tf.Variable(initial_value=mu_initializer(shape=(self.units,), dtype='float32'),
                                   trainable=True, name="bias_mu")
        self.bias_sigma = tf.Variable(initial_value=sigma_initializer(shape=(self.units,), dtype='float32'),
                                      trainable=True, name="bias_sigma")
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


class Model(tf.keras.Model):
    def __init__(self, num_actions):
        super().__init__(name='basic_nstepTD')
        self.shared_fc1 = kl.Dense(16, activation='relu', kernel_initializer='he_uniform', name="shared_fc1")
        self.shared_fc2 = kl.Dense(32, activation='relu', kernel_initializer='he_uniform', name="shared_fc2")
        # output[:, 0] is state value, output[:, 1:] is action advantage
        self.val_adv_fc = NoisyDense(num_actions + 1)

    def call(self, inputs):
        x = self.shared_fc1(inputs)
        x = self.shared_fc2(x)
        val_adv = self.val_adv_fc(x)
        outputs = tf.expand_dims(val_adv[:, 0], -1) + (val_adv[:, 1:] - tf.reduce_mean(val_adv[:, 1:], -1, keepdims=True))
        return outputs

    def action_value(self, obs):
        q_values = self.predict(obs, verbose=0)
        best_action = np.argmax(q_values, axis=-1)
        return best_action if best_action.shape[0] > 1 else best_action[0], q_values[0]


class NoisyAgent:
    def __init__(self, model, learning_rate=.005, gamma=.9, batch_size=8):
        self.model = model
        opt = ko.Adam(learning_rate=learning_rate, clipvalue=10.0)
        self.model.compile(optimizer=opt, loss=self._per_loss)
        self.gamma = gamma
        self.batch_size = batch_size
        self.is_weight = np.ones((batch_size, 1), np.float32)

    def _per_loss(self, y_target, y_pred):
        return tf.reduce_mean(self.is_weight * tf.math.squared_difference(y_target, y_pred))

    def train_step(self, b_obs, b_actions, b_rewards, b_next_states, b_dones):
        best_action_idxes, _ = self.model.action_value(b_next_states)
        target_q = self.model.predict(b_next_states, verbose=0)
        td_target = b_rewards + self.gamma * target_q[np.arange(self.batch_size), best_action_idxes] * (1 - b_dones)
        predict_q = self.model.predict(b_obs, verbose=0)
        for i, val in enumerate(b_actions):
            predict_q[i][val] = td_target[i]
        return self.model.train_on_batch(b_obs, predict_q)


model = Model(2)
obs = np.random.randn(1, 4).astype(np.float32)
print("res of test model:", model(obs).numpy())          # first call builds NoisyDense eagerly
agent = NoisyAgent(model)
mu_before = model.val_adv_fc.weight_mu.numpy().copy()
fc1_before = model.shared_fc1.kernel.numpy().copy()
for t in range(2):
    b_obs = np.random.randn(8, 4).astype(np.float32)
    b_next = np.random.randn(8, 4).astype(np.float32)
    loss = agent.train_step(b_obs, np.random.randint(0, 2, 8), np.random.rand(8).astype(np.float32),
                            b_next, np.zeros(8, np.float32))
print("loss:", loss)
print("noisy weight_mu changed:", not np.allclose(mu_before, model.val_adv_fc.weight_mu.numpy()))
print("shared_fc1 kernel changed:", not np.allclose(fc1_before, model.shared_fc1.kernel.numpy()))
