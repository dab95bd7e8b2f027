"""DDPG on a pendulum-like task, adapted from Dekki-Aero/DDPG (DDPG_Pendulum.py). The critic is
trained with `train_on_batch` on Bellman targets built from the target networks, and the
actor is updated by the deterministic policy gradient written as two tapes: the first
`tape.watch(a)`es the actions produced by the actor inside the tape and takes `dq_da`; the
second recomputes `a` and calls `tape.gradient(a, theta, output_gradients=-dq_da)` to chain
dQ/da into da/dtheta. Target networks follow with a soft update through get/set_weights. The
gym environment is replaced by random transitions in a replay buffer, the 400/300 hidden
units by 32/32, and `tf.multiply(out, bound)` by `out * bound` (Keras 3 functional models do
not accept raw tf ops on symbolic inputs); sampled states are passed as tensors (Keras 3 will
not mix NumPy arrays and tensors in one call). Thirty updates run and the critic loss falls.
---
source: https://github.com/Dekki-Aero/DDPG/blob/master/DDPG_Pendulum.py
framework: both
outcome: trains_fine
cause: none
line: 0
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import random
from collections import deque
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense, Input, concatenate
from tensorflow.keras import Model
from tensorflow.keras.optimizers import Adam
from tensorflow.keras.initializers import RandomUniform as RU

random.seed(0)
np.random.seed(0)
tf.keras.utils.set_random_seed(0)


class _actor_network():
    def __init__(self, state_dim, action_dim, action_bound_range=1):
        self.state_dim = state_dim
        self.action_dim = action_dim
        self.action_bound_range = action_bound_range

    def model(self):
        state = Input(shape=(self.state_dim,), dtype='float32')
        x = Dense(32, activation='relu', kernel_initializer=RU(-1/np.sqrt(self.state_dim), 1/np.sqrt(self.state_dim)))(state)
        x = Dense(32, activation='relu', kernel_initializer=RU(-1/np.sqrt(32), 1/np.sqrt(32)))(x)
        out = Dense(self.action_dim, activation='tanh', kernel_initializer=RU(-0.003, 0.003))(x)
        out = out * self.action_bound_range
        return Model(inputs=state, outputs=out)


class _critic_network():
    def __init__(self, state_dim, action_dim):
        self.state_dim = state_dim
        self.action_dim = action_dim

    def model(self):
        state = Input(shape=(self.state_dim,), name='state_input', dtype='float32')
        state_i = Dense(32, activation='relu', kernel_initializer=RU(-1/np.sqrt(self.state_dim), 1/np.sqrt(self.state_dim)))(state)
        action = Input(shape=(self.action_dim,), name='action_input')
        x = concatenate([state_i, action])
        x = Dense(32, activation='relu', kernel_initializer=RU(-1/np.sqrt(33), 1/np.sqrt(33)))(x)
        out = Dense(1, activation='linear')(x)
        return Model(inputs=[state, action], outputs=out)


class DDPG():
    def __init__(self, state_dim=3, action_bound_range=2):
        self.batch_size = 16
        self.tow = 0.01
        self.gamma = 0.99
        self.dflt_dtype = 'float32'
        self.actor_opt = Adam(0.001)
        self.critic_opt = Adam(0.001)
        action_dim = 1
        self.buffer = deque(maxlen=1000)
        self.actor = _actor_network(state_dim, action_dim, action_bound_range).model()
        self.critic = _critic_network(state_dim, action_dim).model()
        self.actor_target = _actor_network(state_dim, action_dim, action_bound_range).model()
        self.actor_target.set_weights(self.actor.get_weights())
        self.critic_target = _critic_network(state_dim, action_dim).model()
        self.critic.compile(loss='mse', optimizer=self.critic_opt)
        self.critic_target.set_weights(self.critic.get_weights())

    def sample_batch(self):
        batch = random.sample(self.buffer, self.batch_size)
        states_batch = tf.constant(np.vstack([b[0] for b in batch]), self.dflt_dtype)
        actions_batch = np.array([b[1] for b in batch], self.dflt_dtype).reshape(-1, 1)
        rewards_batch = np.array([b[2] for b in batch], self.dflt_dtype).reshape(-1, 1)
        next_states_batch = tf.constant(np.vstack([b[3] for b in batch]), self.dflt_dtype)
        done_batch = np.array([b[4] for b in batch]).reshape(-1, 1)
        return states_batch, actions_batch, rewards_batch, next_states_batch, done_batch

    def train_networks(self, states_batch, actions_batch, rewards_batch, next_states_batch, done_batch):
        next_actions = self.actor_target(next_states_batch)
        q_t_pls_1 = self.critic_target([next_states_batch, next_actions]).numpy()
        y_i = rewards_batch
        for i in range(self.batch_size):
            if not done_batch[i]:
                y_i[i] += q_t_pls_1[i] * self.gamma
        critic_loss = self.critic.train_on_batch([states_batch, actions_batch], y_i)

        with tf.GradientTape() as tape:
            a = self.actor(states_batch)
            tape.watch(a)
            q = self.critic([states_batch, a])
        dq_da = tape.gradient(q, a)

        with tf.GradientTape() as tape:
            a = self.actor(states_batch)
            theta = self.actor.trainable_variables
        da_dtheta = tape.gradient(a, theta, output_gradients=-dq_da)
        self.actor_opt.apply_gradients(zip(da_dtheta, self.actor.trainable_variables))
        return float(np.mean(critic_loss)), float(tf.reduce_mean(q))

    def update_target(self, target, online, tow):
        init_weights = online.get_weights()
        update_weights = target.get_weights()
        weights = [tow * w + (1 - tow) * u for w, u in zip(init_weights, update_weights)]
        target.set_weights(weights)
        return target


ddpg = DDPG()
for _ in range(200):
    s = np.random.uniform(-1, 1, size=3)
    a = np.random.uniform(-2, 2)
    r = -(s[0] ** 2) - 0.1 * a ** 2 + 0.5 * a * s[1]
    s2 = np.clip(s + 0.1 * np.random.randn(3), -1, 1)
    ddpg.buffer.append([s, a, r, s2, False])

for step in range(30):
    batch = ddpg.sample_batch()
    critic_loss, mean_q = ddpg.train_networks(*batch)
    ddpg.actor_target = ddpg.update_target(ddpg.actor_target, ddpg.actor, ddpg.tow)
    ddpg.critic_target = ddpg.update_target(ddpg.critic_target, ddpg.critic, ddpg.tow)
    if step % 10 == 0:
        print("step", step, "critic loss", round(critic_loss, 4), "mean Q", round(mean_q, 4))
print("final critic loss:", round(critic_loss, 4))
