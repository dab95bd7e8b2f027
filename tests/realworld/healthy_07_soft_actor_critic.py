"""TF2 Soft Actor-Critic: a reparameterized tanh-squashed Gaussian actor, twin critics
with target copies, the soft Q target wrapped in tf.stop_gradient, an actor loss through
the critics where only the policy variables are updated, a learned temperature `alpha`
(a bare tf.Variable) and polyak target updates with assign. Everything that should
train does.

---
source: https://github.com/hassanyousefzade/tensorflow2-soft-actor-critic/blob/HEAD/Model.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
from tensorflow.keras import layers
from tensorflow.keras import Model

EPSILON = 1e-16


class Actor(Model):
    def __init__(self, action_dim):
        super().__init__()
        self.action_dim = action_dim
        self.dense1_layer = layers.Dense(32, activation=tf.nn.relu)
        self.dense2_layer = layers.Dense(32, activation=tf.nn.relu)
        self.mean_layer = layers.Dense(self.action_dim)
        self.stdev_layer = layers.Dense(self.action_dim)

    def call(self, state):
        a2 = self.dense2_layer(self.dense1_layer(state))
        mu = self.mean_layer(a2)
        log_sigma = tf.clip_by_value(self.stdev_layer(a2), -5.0, 2.0)
        sigma = tf.exp(log_sigma)
        # Re-parameterization trick.
        action_ = mu + sigma * tf.random.normal(tf.shape(mu))
        action = tf.tanh(action_)
        log_pi_ = -0.5 * (((action_ - mu) / sigma) ** 2 + 2.0 * log_sigma + np.log(2.0 * np.pi))
        log_pi = tf.reduce_sum(log_pi_, axis=1, keepdims=True) - tf.reduce_sum(
            tf.math.log(1 - action ** 2 + EPSILON), axis=1, keepdims=True
        )
        return action * 2, log_pi


class Critic(Model):
    def __init__(self):
        super().__init__()
        self.dense1_layer = layers.Dense(32, activation=tf.nn.relu)
        self.dense2_layer = layers.Dense(32, activation=tf.nn.relu)
        self.output_layer = layers.Dense(1)

    def call(self, state, action):
        state_action = tf.concat([state, action], axis=1)
        return self.output_layer(self.dense2_layer(self.dense1_layer(state_action)))


class SoftActorCritic:
    def __init__(self, action_dim, learning_rate=0.003, gamma=0.99, polyak=0.995):
        self.policy = Actor(action_dim)
        self.q1, self.q2 = Critic(), Critic()
        self.target_q1, self.target_q2 = Critic(), Critic()
        self.alpha = tf.Variable(0.0, dtype=tf.float32)
        self.target_entropy = -tf.constant(action_dim, dtype=tf.float32)
        self.gamma, self.polyak = gamma, polyak
        self.actor_optimizer = tf.keras.optimizers.Adam(learning_rate)
        self.critic1_optimizer = tf.keras.optimizers.Adam(learning_rate)
        self.critic2_optimizer = tf.keras.optimizers.Adam(learning_rate)
        self.alpha_optimizer = tf.keras.optimizers.Adam(learning_rate)

    def sample_action(self, current_state):
        action, _ = self.policy(np.array(current_state, ndmin=2))
        return action[0]

    def update_q_network(self, current_states, actions, rewards, next_states, ends):
        with tf.GradientTape() as tape1:
            q1 = self.q1(current_states, actions)
            pi_a, log_pi_a = self.policy(next_states)
            min_q_target = tf.minimum(self.target_q1(next_states, pi_a), self.target_q2(next_states, pi_a))
            soft_q_target = min_q_target - self.alpha * log_pi_a
            y = tf.stop_gradient(rewards + self.gamma * ends * soft_q_target)
            critic1_loss = tf.reduce_mean((q1 - y) ** 2)
        with tf.GradientTape() as tape2:
            q2 = self.q2(current_states, actions)
            pi_a, log_pi_a = self.policy(next_states)
            min_q_target = tf.minimum(self.target_q1(next_states, pi_a), self.target_q2(next_states, pi_a))
            soft_q_target = min_q_target - self.alpha * log_pi_a
            y = tf.stop_gradient(rewards + self.gamma * ends * soft_q_target)
            critic2_loss = tf.reduce_mean((q2 - y) ** 2)
        grads1 = tape1.gradient(critic1_loss, self.q1.trainable_variables)
        self.critic1_optimizer.apply_gradients(zip(grads1, self.q1.trainable_variables))
        grads2 = tape2.gradient(critic2_loss, self.q2.trainable_variables)
        self.critic2_optimizer.apply_gradients(zip(grads2, self.q2.trainable_variables))
        return critic1_loss, critic2_loss

    def update_policy_network(self, current_states):
        with tf.GradientTape() as tape:
            pi_a, log_pi_a = self.policy(current_states)
            min_q = tf.minimum(self.q1(current_states, pi_a), self.q2(current_states, pi_a))
            actor_loss = -tf.reduce_mean(min_q - self.alpha * log_pi_a)
        variables = self.policy.trainable_variables
        grads = tape.gradient(actor_loss, variables)
        self.actor_optimizer.apply_gradients(zip(grads, variables))
        return actor_loss

    def update_alpha(self, current_states):
        with tf.GradientTape() as tape:
            pi_a, log_pi_a = self.policy(current_states)
            alpha_loss = tf.reduce_mean(-self.alpha * (log_pi_a + self.target_entropy))
        variables = [self.alpha]
        grads = tape.gradient(alpha_loss, variables)
        self.alpha_optimizer.apply_gradients(zip(grads, variables))
        return alpha_loss

    def train(self, current_states, actions, rewards, next_states, ends):
        c1, c2 = self.update_q_network(current_states, actions, rewards, next_states, ends)
        actor_loss = self.update_policy_network(current_states)
        alpha_loss = self.update_alpha(current_states)
        self.update_weights()
        return c1, c2, actor_loss, alpha_loss

    def update_weights(self):
        for target, source in ((self.target_q1, self.q1), (self.target_q2, self.q2)):
            for theta_target, theta in zip(target.trainable_variables, source.trainable_variables):
                theta_target.assign(self.polyak * theta_target + (1 - self.polyak) * theta)


rng = np.random.default_rng(0)
sac = SoftActorCritic(action_dim=1)
states = rng.normal(size=(64, 3)).astype(np.float32)
actions = np.stack([sac.sample_action(s).numpy() for s in states[:4]] * 16).astype(np.float32)
rewards = -np.abs(actions).astype(np.float32)
next_states = rng.normal(size=(64, 3)).astype(np.float32)
ends = np.ones((64, 1), np.float32)
for net, s in ((sac.q1, states), (sac.q2, states), (sac.target_q1, states), (sac.target_q2, states)):
    net(s, actions)
sac.target_q1.set_weights(sac.q1.get_weights())
sac.target_q2.set_weights(sac.q2.get_weights())

tracked = sac.policy.trainable_variables + sac.q1.trainable_variables + sac.q2.trainable_variables + [sac.alpha]
before = [v.numpy().copy() for v in tracked]
for step in range(10):
    c1, c2, actor_loss, alpha_loss = sac.train(states, actions, rewards, next_states, ends)
print("critic1_loss", float(c1), "actor_loss", float(actor_loss), "alpha", float(sac.alpha.numpy()))
changed = [not np.allclose(b, v.numpy()) for b, v in zip(before, tracked)]
assert all(changed), changed
print("ok")
