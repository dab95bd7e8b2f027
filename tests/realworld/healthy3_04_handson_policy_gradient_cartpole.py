"""REINFORCE on CartPole from Hands-On Machine Learning (2nd ed.), chapter 18, notebook
18_reinforcement_learning.ipynb. `play_one_step` runs the policy network inside a GradientTape,
samples the action with `tf.random.uniform([1, 1]) > left_proba`, builds the target
`y_target = 1 - cast(action)` and takes the gradient of the binary cross-entropy; the sampled
action itself is not differentiated (the comparison only selects the target), so every
gradient exists. The per-step gradients are weighted by the normalized discounted returns and
averaged before `apply_gradients`. Gym is replaced by a small NumPy cart-pole with the same
dynamics and reward, and the run is shortened to a few iterations of a few episodes.
---
source: https://github.com/ageron/handson-ml2/blob/master/18_reinforcement_learning.ipynb
framework: both
outcome: trains_fine
cause: none
line: 0
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

np.random.seed(42)
tf.keras.utils.set_random_seed(42)


class CartPole:
    """Minimal stand-in for gym's CartPole-v1 (same equations, reward 1 per step)."""
    def __init__(self, seed=42):
        self.rng = np.random.default_rng(seed)

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, size=4)
        return self.state.astype(np.float32)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = 10.0 if action == 1 else -10.0
        costheta, sintheta = np.cos(theta), np.sin(theta)
        temp = (force + 0.05 * theta_dot ** 2 * sintheta) / 1.1
        thetaacc = (9.8 * sintheta - costheta * temp) / (0.5 * (4.0 / 3.0 - 0.1 * costheta ** 2 / 1.1))
        xacc = temp - 0.05 * thetaacc * costheta / 1.1
        x, x_dot = x + 0.02 * x_dot, x_dot + 0.02 * xacc
        theta, theta_dot = theta + 0.02 * theta_dot, theta_dot + 0.02 * thetaacc
        self.state = np.array([x, x_dot, theta, theta_dot])
        done = bool(abs(x) > 2.4 or abs(theta) > 12 * 2 * np.pi / 360)
        return self.state.astype(np.float32), 1.0, done, {}


env = CartPole()

n_inputs = 4
model = keras.models.Sequential([
    keras.layers.Input(shape=(n_inputs,)),
    keras.layers.Dense(5, activation="elu"),
    keras.layers.Dense(1, activation="sigmoid"),
])


def play_one_step(env, obs, model, loss_fn):
    with tf.GradientTape() as tape:
        left_proba = model(obs[np.newaxis])
        action = (tf.random.uniform([1, 1]) > left_proba)
        y_target = tf.constant([[1.]]) - tf.cast(action, tf.float32)
        loss = tf.reduce_mean(loss_fn(y_target, left_proba))
    grads = tape.gradient(loss, model.trainable_variables)
    obs, reward, done, info = env.step(int(action[0, 0].numpy()))
    return obs, reward, done, grads


def play_multiple_episodes(env, n_episodes, n_max_steps, model, loss_fn):
    all_rewards = []
    all_grads = []
    for episode in range(n_episodes):
        current_rewards = []
        current_grads = []
        obs = env.reset()
        for step in range(n_max_steps):
            obs, reward, done, grads = play_one_step(env, obs, model, loss_fn)
            current_rewards.append(reward)
            current_grads.append(grads)
            if done:
                break
        all_rewards.append(current_rewards)
        all_grads.append(current_grads)
    return all_rewards, all_grads


def discount_rewards(rewards, discount_rate):
    discounted = np.array(rewards)
    for step in range(len(rewards) - 2, -1, -1):
        discounted[step] += discounted[step + 1] * discount_rate
    return discounted


def discount_and_normalize_rewards(all_rewards, discount_rate):
    all_discounted_rewards = [discount_rewards(rewards, discount_rate)
                              for rewards in all_rewards]
    flat_rewards = np.concatenate(all_discounted_rewards)
    reward_mean = flat_rewards.mean()
    reward_std = flat_rewards.std()
    return [(discounted_rewards - reward_mean) / reward_std
            for discounted_rewards in all_discounted_rewards]


n_iterations = 4
n_episodes_per_update = 4
n_max_steps = 60
discount_rate = 0.95

optimizer = keras.optimizers.Adam(learning_rate=0.01)
loss_fn = keras.losses.binary_crossentropy

for iteration in range(n_iterations):
    all_rewards, all_grads = play_multiple_episodes(
        env, n_episodes_per_update, n_max_steps, model, loss_fn)
    total_rewards = sum(map(sum, all_rewards))
    print("Iteration: {}, mean rewards: {:.1f}".format(
        iteration, total_rewards / n_episodes_per_update))
    all_final_rewards = discount_and_normalize_rewards(all_rewards, discount_rate)
    all_mean_grads = []
    for var_index in range(len(model.trainable_variables)):
        mean_grads = tf.reduce_mean(
            [final_reward * all_grads[episode_index][step][var_index]
             for episode_index, final_rewards in enumerate(all_final_rewards)
             for step, final_reward in enumerate(final_rewards)], axis=0)
        all_mean_grads.append(mean_grads)
    optimizer.apply_gradients(zip(all_mean_grads, model.trainable_variables))

obs = env.reset()
final_loss = tf.reduce_mean(loss_fn(tf.constant([[1.]]), model(obs[np.newaxis])))
print("final loss:", round(float(final_loss), 4))
