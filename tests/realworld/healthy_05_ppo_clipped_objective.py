"""keras.io PPO on CartPole (shrunk, toy env): actions are sampled with
tf.random.categorical and their log-probabilities stored in a buffer outside any tape;
train_policy recomputes log-probs inside the tape and minimizes the clipped surrogate
(ratio vs. tf.where-selected clipped advantage); the critic is fitted separately.

---
source: https://github.com/keras-team/keras-io/blob/master/examples/rl/ppo_cartpole.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
from tensorflow import keras
from tensorflow.keras import layers


def discounted_cumulative_sums(x, discount):
    out = np.zeros_like(x)
    running = 0.0
    for i in reversed(range(len(x))):
        running = x[i] + discount * running
        out[i] = running
    return out


class Buffer:
    def __init__(self, observation_dimensions, size, gamma=0.99, lam=0.95):
        self.observation_buffer = np.zeros((size, observation_dimensions), dtype=np.float32)
        self.action_buffer = np.zeros(size, dtype=np.int32)
        self.advantage_buffer = np.zeros(size, dtype=np.float32)
        self.reward_buffer = np.zeros(size, dtype=np.float32)
        self.return_buffer = np.zeros(size, dtype=np.float32)
        self.value_buffer = np.zeros(size, dtype=np.float32)
        self.logprobability_buffer = np.zeros(size, dtype=np.float32)
        self.gamma, self.lam = gamma, lam
        self.pointer, self.trajectory_start_index = 0, 0

    def store(self, observation, action, reward, value, logprobability):
        self.observation_buffer[self.pointer] = observation
        self.action_buffer[self.pointer] = action
        self.reward_buffer[self.pointer] = reward
        self.value_buffer[self.pointer] = value
        self.logprobability_buffer[self.pointer] = logprobability
        self.pointer += 1

    def finish_trajectory(self, last_value=0):
        path_slice = slice(self.trajectory_start_index, self.pointer)
        rewards = np.append(self.reward_buffer[path_slice], last_value)
        values = np.append(self.value_buffer[path_slice], last_value)
        deltas = rewards[:-1] + self.gamma * values[1:] - values[:-1]
        self.advantage_buffer[path_slice] = discounted_cumulative_sums(deltas, self.gamma * self.lam)
        self.return_buffer[path_slice] = discounted_cumulative_sums(rewards, self.gamma)[:-1]
        self.trajectory_start_index = self.pointer

    def get(self):
        self.pointer, self.trajectory_start_index = 0, 0
        mean, std = np.mean(self.advantage_buffer), np.std(self.advantage_buffer)
        self.advantage_buffer = (self.advantage_buffer - mean) / (std + 1e-8)
        return (self.observation_buffer, self.action_buffer, self.advantage_buffer,
                self.return_buffer, self.logprobability_buffer)


def mlp(x, sizes, activation=tf.tanh, output_activation=None):
    for size in sizes[:-1]:
        x = layers.Dense(units=size, activation=activation)(x)
    return layers.Dense(units=sizes[-1], activation=output_activation)(x)


def logprobabilities(logits, a):
    logprobabilities_all = tf.nn.log_softmax(logits)
    return tf.reduce_sum(tf.one_hot(a, num_actions) * logprobabilities_all, axis=1)


@tf.function
def sample_action(observation):
    logits = actor(observation)
    action = tf.squeeze(tf.random.categorical(logits, 1), axis=1)
    return logits, action


@tf.function
def train_policy(observation_buffer, action_buffer, logprobability_buffer, advantage_buffer):
    with tf.GradientTape() as tape:
        ratio = tf.exp(logprobabilities(actor(observation_buffer), action_buffer) - logprobability_buffer)
        min_advantage = tf.where(
            advantage_buffer > 0,
            (1 + clip_ratio) * advantage_buffer,
            (1 - clip_ratio) * advantage_buffer,
        )
        policy_loss = -tf.reduce_mean(tf.minimum(ratio * advantage_buffer, min_advantage))
    policy_grads = tape.gradient(policy_loss, actor.trainable_variables)
    policy_optimizer.apply_gradients(zip(policy_grads, actor.trainable_variables))
    kl = tf.reduce_mean(logprobability_buffer - logprobabilities(actor(observation_buffer), action_buffer))
    return tf.reduce_sum(kl)


@tf.function
def train_value_function(observation_buffer, return_buffer):
    with tf.GradientTape() as tape:
        value_loss = tf.reduce_mean((return_buffer - tf.squeeze(critic(observation_buffer), axis=1)) ** 2)
    value_grads = tape.gradient(value_loss, critic.trainable_variables)
    value_optimizer.apply_gradients(zip(value_grads, critic.trainable_variables))
    return value_loss


steps_per_epoch, epochs, gamma, clip_ratio = 32, 3, 0.99, 0.2
train_policy_iterations = train_value_iterations = 5
target_kl, hidden_sizes = 0.01, (16, 16)
observation_dimensions, num_actions = 4, 2
rng = np.random.default_rng(0)

buffer = Buffer(observation_dimensions, steps_per_epoch)
observation_input = keras.Input(shape=(observation_dimensions,), dtype="float32")
logits = mlp(observation_input, list(hidden_sizes) + [num_actions])
actor = keras.Model(inputs=observation_input, outputs=logits)
value = mlp(observation_input, list(hidden_sizes) + [1])
critic = keras.Model(inputs=observation_input, outputs=value)
policy_optimizer = keras.optimizers.Adam(learning_rate=3e-3)
value_optimizer = keras.optimizers.Adam(learning_rate=1e-2)

before = [v.numpy().copy() for v in actor.trainable_variables + critic.trainable_variables]
observation, episode_length = rng.normal(size=4).astype(np.float32), 0
value_losses = []
for epoch in range(epochs):
    for t in range(steps_per_epoch):
        observation = observation.reshape(1, -1)
        logits, action = sample_action(observation)
        reward = 1.0 if int(action[0]) == 1 else 0.0
        episode_length += 1
        value_t = critic(observation)
        logprobability_t = logprobabilities(logits, action)
        buffer.store(observation, action[0], reward, value_t[0, 0], logprobability_t[0])
        observation = rng.normal(size=4).astype(np.float32)
        if episode_length == 16 or t == steps_per_epoch - 1:
            buffer.finish_trajectory(0)
            episode_length = 0
    (observation_buffer, action_buffer, advantage_buffer, return_buffer,
     logprobability_buffer) = buffer.get()
    for _ in range(train_policy_iterations):
        kl = train_policy(observation_buffer, action_buffer, logprobability_buffer, advantage_buffer)
        if kl > 1.5 * target_kl:
            break
    for _ in range(train_value_iterations):
        value_losses.append(float(train_value_function(observation_buffer, return_buffer)))
    print("epoch", epoch, "value_loss", value_losses[-1])

after = [v.numpy() for v in actor.trainable_variables + critic.trainable_variables]
changed = [not np.allclose(b, a) for b, a in zip(before, after)]
assert all(changed), changed
print("ok")
