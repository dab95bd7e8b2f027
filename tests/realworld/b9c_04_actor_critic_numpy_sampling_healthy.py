"""Healthy: the keras.io "Actor Critic Method" example (CartPole), shrunk.
It looks like it should break the gradient: one GradientTape stays open for a
whole episode, the action is sampled with NumPy from `np.squeeze(action_probs)`,
the environment step is pure NumPy, the returns are normalised in NumPy and
turned back into a Python list, and the loss is a Python `sum()` over lists of
tensors. None of this cuts the chain: the sampled action is only used as an
index into `action_probs`, whose `tf.math.log` is recorded by the tape, and
the returns are constant targets that should carry no gradient. Gym is
replaced by a tiny NumPy re-implementation of the CartPole dynamics. All six
variables (shared layer, actor head, critic head) get finite, non-zero
gradients in every episode and all of them move (max change about 0.03-0.12
after 12 episodes). Being RL with returns normalised per episode, the loss
is noisy and does not fall steadily over so few episodes.
---
source: https://github.com/keras-team/keras-io/blob/master/examples/rl/actor_critic_cartpole.py
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)


class TinyCartPole:
    """NumPy copy of the classic CartPole dynamics (gym's CartPole-v0)."""

    def __init__(self, max_steps=40):
        self.max_steps = max_steps

    def reset(self):
        self.t = 0
        self.s = np.random.uniform(-0.05, 0.05, size=(4,)).astype("float32")
        return self.s

    def step(self, action):
        x, x_dot, theta, theta_dot = self.s
        force = 10.0 if action == 1 else -10.0
        costh, sinth = np.cos(theta), np.sin(theta)
        temp = (force + 0.05 * theta_dot ** 2 * sinth) / 1.1
        thetaacc = (9.8 * sinth - costh * temp) / (
            0.5 * (4.0 / 3.0 - 0.1 * costh ** 2 / 1.1))
        xacc = temp - 0.05 * thetaacc * costh / 1.1
        x, x_dot = x + 0.02 * x_dot, x_dot + 0.02 * xacc
        theta, theta_dot = theta + 0.02 * theta_dot, theta_dot + 0.02 * thetaacc
        self.s = np.array([x, x_dot, theta, theta_dot], dtype="float32")
        self.t += 1
        done = abs(x) > 2.4 or abs(theta) > 0.21 or self.t >= self.max_steps
        return self.s, 1.0, done, {}


gamma = 0.99
env = TinyCartPole()
eps = np.finfo(np.float32).eps.item()

num_inputs = 4
num_actions = 2
num_hidden = 32

inputs = layers.Input(shape=(num_inputs,))
common = layers.Dense(num_hidden, activation="relu")(inputs)
action = layers.Dense(num_actions, activation="softmax")(common)
critic = layers.Dense(1)(common)

model = keras.Model(inputs=inputs, outputs=[action, critic])

optimizer = keras.optimizers.Adam(learning_rate=0.01)
huber_loss = keras.losses.Huber()
action_probs_history = []
critic_value_history = []
rewards_history = []
running_reward = 0
episode_count = 0

while episode_count < 12:
    state = env.reset()
    episode_reward = 0
    with tf.GradientTape() as tape:
        for timestep in range(1, 1000):
            state = tf.convert_to_tensor(state)
            state = tf.expand_dims(state, 0)

            action_probs, critic_value = model(state)
            critic_value_history.append(critic_value[0, 0])

            p = np.squeeze(action_probs).astype("float64")
            action = np.random.choice(num_actions, p=p / p.sum())
            action_probs_history.append(tf.math.log(action_probs[0, action]))

            state, reward, done, _ = env.step(action)
            rewards_history.append(reward)
            episode_reward += reward

            if done:
                break

        running_reward = 0.05 * episode_reward + (1 - 0.05) * running_reward

        returns = []
        discounted_sum = 0
        for r in rewards_history[::-1]:
            discounted_sum = r + gamma * discounted_sum
            returns.insert(0, discounted_sum)

        returns = np.array(returns)
        returns = (returns - np.mean(returns)) / (np.std(returns) + eps)
        returns = returns.tolist()

        history = zip(action_probs_history, critic_value_history, returns)
        actor_losses = []
        critic_losses = []
        for log_prob, value, ret in history:
            diff = ret - value
            actor_losses.append(-log_prob * diff)
            critic_losses.append(
                huber_loss(tf.expand_dims(value, 0), tf.expand_dims(ret, 0))
            )

        loss_value = sum(actor_losses) + sum(critic_losses)
        grads = tape.gradient(loss_value, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

        action_probs_history.clear()
        critic_value_history.clear()
        rewards_history.clear()

    episode_count += 1
    if episode_count % 4 == 0:
        template = "running reward: {:.2f} at episode {}"
        print(template.format(running_reward, episode_count))
