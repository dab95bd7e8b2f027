"""Healthy PPO for a continuous action space, adapted from marload/DeepRL-TensorFlow2
(PPO/PPO_Continuous.py): separate Actor/Critic classes with their own GradientTape
`train` methods, a Gaussian `log_pdf` helper, the clipped surrogate with
`tf.stop_gradient` on the old log-probabilities and on the GAE advantages, a critic
trained on `tf.stop_gradient(td_targets)`, and `model.predict_on_batch()` used *outside* any tape
to pick actions and to compute the value baselines (numpy in, numpy out). All of that
looks suspicious but is correct: the old policy and the targets are constants by
design. Gym's Pendulum is replaced by a tiny random "reach the target" environment; the
critic loss falls and the policy mean moves onto the optimal action.
---
source: https://github.com/marload/DeepRL-TensorFlow2/blob/master/PPO/PPO_Continuous.py
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
from tensorflow.keras.layers import Input, Dense, Lambda

tf.keras.backend.set_floatx('float64')


class args:
    gamma = 0.99
    update_interval = 8
    actor_lr = 0.003
    critic_lr = 0.005
    clip_ratio = 0.2
    lmbda = 0.95
    epochs = 3


class TargetEnv:
    """obs = 3 random numbers; the best action is 0.5 * obs[0]; 8 steps per episode."""
    def __init__(self, seed=0):
        self.rng = np.random.RandomState(seed)
        self.t = 0

    def reset(self):
        self.t = 0
        self.obs = self.rng.uniform(-1, 1, 3)
        return self.obs

    def step(self, action):
        reward = -abs(float(action[0]) - 0.5 * self.obs[0])
        self.t += 1
        self.obs = self.rng.uniform(-1, 1, 3)
        return self.obs, reward, self.t >= 8, {}


class Actor:
    def __init__(self, state_dim, action_dim, action_bound, std_bound):
        self.state_dim = state_dim
        self.action_dim = action_dim
        self.action_bound = action_bound
        self.std_bound = std_bound
        self.model = self.create_model()
        self.opt = tf.keras.optimizers.Adam(args.actor_lr)

    def get_action(self, state):
        state = np.reshape(state, [1, self.state_dim])
        mu, std = self.model.predict_on_batch(state)
        action = np.random.normal(mu[0], std[0], size=self.action_dim)
        action = np.clip(action, -self.action_bound, self.action_bound)
        log_policy = self.log_pdf(mu, std, action)
        return log_policy, action

    def log_pdf(self, mu, std, action):
        std = tf.clip_by_value(std, self.std_bound[0], self.std_bound[1])
        var = std ** 2
        log_policy_pdf = -0.5 * (action - mu) ** 2 / var - 0.5 * tf.math.log(var * 2 * np.pi)
        return tf.reduce_sum(log_policy_pdf, 1, keepdims=True)

    def create_model(self):
        state_input = Input((self.state_dim,))
        dense_1 = Dense(32, activation='relu', name='actor_dense_1')(state_input)
        dense_2 = Dense(32, activation='relu', name='actor_dense_2')(dense_1)
        out_mu = Dense(self.action_dim, activation='tanh', name='actor_mu')(dense_2)
        mu_output = Lambda(lambda x: x * self.action_bound)(out_mu)
        std_output = Dense(self.action_dim, activation='softplus', name='actor_std')(dense_2)
        return tf.keras.models.Model(state_input, [mu_output, std_output])

    def compute_loss(self, log_old_policy, log_new_policy, actions, gaes):
        ratio = tf.exp(log_new_policy - tf.stop_gradient(log_old_policy))
        gaes = tf.stop_gradient(gaes)
        clipped_ratio = tf.clip_by_value(ratio, 1.0 - args.clip_ratio, 1.0 + args.clip_ratio)
        surrogate = -tf.minimum(ratio * gaes, clipped_ratio * gaes)
        return tf.reduce_mean(surrogate)

    def train(self, log_old_policy, states, actions, gaes):
        with tf.GradientTape() as tape:
            mu, std = self.model(states, training=True)
            log_new_policy = self.log_pdf(mu, std, actions)
            loss = self.compute_loss(log_old_policy, log_new_policy, actions, gaes)
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.opt.apply_gradients(zip(grads, self.model.trainable_variables))
        return loss


class Critic:
    def __init__(self, state_dim):
        self.state_dim = state_dim
        self.model = self.create_model()
        self.opt = tf.keras.optimizers.Adam(args.critic_lr)

    def create_model(self):
        return tf.keras.Sequential([
            Input((self.state_dim,)),
            Dense(32, activation='relu', name='critic_dense_1'),
            Dense(32, activation='relu', name='critic_dense_2'),
            Dense(16, activation='relu', name='critic_dense_3'),
            Dense(1, activation='linear', name='critic_v'),
        ])

    def compute_loss(self, v_pred, td_targets):
        mse = tf.keras.losses.MeanSquaredError()
        return mse(td_targets, v_pred)

    def train(self, states, td_targets):
        with tf.GradientTape() as tape:
            v_pred = self.model(states, training=True)
            assert v_pred.shape == td_targets.shape
            loss = self.compute_loss(v_pred, tf.stop_gradient(td_targets))
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.opt.apply_gradients(zip(grads, self.model.trainable_variables))
        return loss


class Agent:
    def __init__(self, env):
        self.env = env
        self.state_dim = 3
        self.action_dim = 1
        self.action_bound = 1.0
        self.std_bound = [1e-2, 1.0]
        self.actor = Actor(self.state_dim, self.action_dim, self.action_bound, self.std_bound)
        self.critic = Critic(self.state_dim)

    def gae_target(self, rewards, v_values, next_v_value, done):
        n_step_targets = np.zeros_like(rewards)
        gae = np.zeros_like(rewards)
        gae_cumulative = 0
        forward_val = 0
        if not done:
            forward_val = next_v_value
        for k in reversed(range(0, len(rewards))):
            delta = rewards[k] + args.gamma * forward_val - v_values[k]
            gae_cumulative = args.gamma * args.lmbda * gae_cumulative + delta
            gae[k] = gae_cumulative
            forward_val = v_values[k]
            n_step_targets[k] = gae[k] + v_values[k]
        return gae, n_step_targets

    def list_to_batch(self, list):
        batch = list[0]
        for elem in list[1:]:
            batch = np.append(batch, elem, axis=0)
        return batch

    def train(self, max_episodes=40):
        critic_losses = []
        for ep in range(max_episodes):
            state_batch, action_batch, reward_batch, old_policy_batch = [], [], [], []
            episode_reward, done = 0, False
            state = self.env.reset()
            while not done:
                log_old_policy, action = self.actor.get_action(state)
                next_state, reward, done, _ = self.env.step(action)

                state = np.reshape(state, [1, self.state_dim])
                action = np.reshape(action, [1, 1])
                next_state = np.reshape(next_state, [1, self.state_dim])
                reward = np.reshape(reward, [1, 1])
                log_old_policy = np.reshape(log_old_policy, [1, 1])

                state_batch.append(state)
                action_batch.append(action)
                reward_batch.append(reward)
                old_policy_batch.append(log_old_policy)

                if len(state_batch) >= args.update_interval or done:
                    states = self.list_to_batch(state_batch)
                    actions = self.list_to_batch(action_batch)
                    rewards = self.list_to_batch(reward_batch)
                    old_policys = self.list_to_batch(old_policy_batch)

                    v_values = self.critic.model.predict_on_batch(states)
                    next_v_value = self.critic.model.predict_on_batch(next_state)
                    gaes, td_targets = self.gae_target(rewards, v_values, next_v_value, done)

                    for epoch in range(args.epochs):
                        actor_loss = self.actor.train(old_policys, states, actions, gaes)
                        critic_loss = self.critic.train(states, td_targets)
                    critic_losses.append(float(critic_loss))
                    state_batch, action_batch, reward_batch, old_policy_batch = [], [], [], []

                episode_reward += reward[0][0]
                state = next_state[0]
            if ep % 10 == 0 or ep == max_episodes - 1:
                print('EP{} EpisodeReward={:.3f}'.format(ep, episode_reward))
        return critic_losses


if __name__ == "__main__":
    agent = Agent(TargetEnv())
    probe = np.random.RandomState(1).uniform(-1, 1, (64, 3))
    err_before = np.abs(agent.actor.model(probe)[0].numpy()[:, 0] - 0.5 * probe[:, 0]).mean()
    losses = agent.train()
    err_after = np.abs(agent.actor.model(probe)[0].numpy()[:, 0] - 0.5 * probe[:, 0]).mean()
    print("critic loss first 5 updates %.4f, last 5 updates %.4f"
          % (np.mean(losses[:5]), np.mean(losses[-5:])))
    print("policy-mean error before %.3f after %.3f" % (err_before, err_after))
