"""Healthy TD3 (vmorarji/TD3-TensorFlow, model.py): subclassed `Actor` and twin-head
`Critic(keras.Model)` with a separate `Q1()` method, target networks updated by
`assign`, target-policy smoothing noise, and `tf.stop_gradient` on the TD targets that
are computed outside any tape. The actor loss goes through the critic's `Q1()`, yet
the actor step differentiates (and applies) only the actor's variable list, so the
critic is not changed by it; the critic step likewise requests only critic variables.
(The repo opens its tapes with `watch_accessed_variables=False` + `tape.watch(list)`;
Keras 3 variables cannot be passed to `tape.watch`, so plain tapes are used here, which
give the same gradients for the requested lists.) All of this looks suspicious but is
correct. Networks are shrunk, the env replaced by random transitions
whose reward is highest for action = 0.5 * state[0]; the networks are built before the
target weights are copied. The critic loss falls and the actor's Q value rises.
---
source: https://github.com/vmorarji/TD3-TensorFlow/blob/master/model.py
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
from tensorflow import keras


class Actor(keras.Model):
    """Creates an actor network"""
    def __init__(self, state_dim, action_dim, max_action):
        super(Actor, self).__init__()
        self.layer_1 = keras.layers.Dense(state_dim, activation='relu', name='actor_l1')
        self.layer_2 = keras.layers.Dense(64, activation='relu', name='actor_l2')
        self.layer_3 = keras.layers.Dense(32, activation='relu', name='actor_l3')
        self.layer_4 = keras.layers.Dense(action_dim, activation='tanh', name='actor_l4',
                                          kernel_initializer=tf.random_uniform_initializer(
                                              minval=-3e-3, maxval=3e-3))
        self.max_action = max_action

    def call(self, obs):
        x = self.layer_1(obs)
        x = self.layer_2(x)
        x = self.layer_3(x)
        x = self.layer_4(x)
        x = x * self.max_action
        return x


class Critic(keras.Model):
    """Creates two critic networks"""
    def __init__(self, state_dim, action_dim):
        super(Critic, self).__init__()
        # The First Critic NN
        self.layer_1 = keras.layers.Dense(state_dim + action_dim, activation='relu', name='q1_l1')
        self.layer_2 = keras.layers.Dense(64, activation='relu', name='q1_l2')
        self.layer_3 = keras.layers.Dense(32, activation='relu', name='q1_l3')
        self.layer_4 = keras.layers.Dense(1, name='q1_l4')
        # The Second Critic NN
        self.layer_5 = keras.layers.Dense(state_dim + action_dim, activation='relu', name='q2_l1')
        self.layer_6 = keras.layers.Dense(64, activation='relu', name='q2_l2')
        self.layer_7 = keras.layers.Dense(32, activation='relu', name='q2_l3')
        self.layer_8 = keras.layers.Dense(1, name='q2_l4')

    def call(self, obs, actions):
        x0 = tf.concat([obs, actions], 1)
        x1 = self.layer_1(x0)
        x1 = self.layer_2(x1)
        x1 = self.layer_3(x1)
        x1 = self.layer_4(x1)
        x2 = self.layer_5(x0)
        x2 = self.layer_6(x2)
        x2 = self.layer_7(x2)
        x2 = self.layer_8(x2)
        return x1, x2

    def Q1(self, state, action):
        x0 = tf.concat([state, action], 1)
        x1 = self.layer_1(x0)
        x1 = self.layer_2(x1)
        x1 = self.layer_3(x1)
        x1 = self.layer_4(x1)
        return x1


class ReplayBuffer:
    def __init__(self, state_dim, action_dim, size=2048, seed=0):
        rng = np.random.RandomState(seed)
        self.s = rng.uniform(-1, 1, (size, state_dim)).astype('float32')
        self.a = rng.uniform(-1, 1, (size, action_dim)).astype('float32')
        self.r = (-np.abs(self.a[:, :1] - 0.5 * self.s[:, :1])).astype('float32')
        self.s2 = rng.uniform(-1, 1, (size, state_dim)).astype('float32')
        self.d = (rng.rand(size, 1) < 0.1).astype('float32')
        self.rng = rng

    def sample(self, batch_size):
        i = self.rng.randint(0, len(self.s), batch_size)
        return self.s[i], self.s2[i], self.a[i], self.r[i], self.d[i]


class TD3(object):
    def __init__(self, state_dim, action_dim, max_action, gamma=0.99, tau=0.005,
                 noise_std=0.2, noise_clip=0.5, expl_noise=0.1, actor_train_interval=2,
                 actor_lr=3e-3, critic_lr=2e-3, critic_loss_fn=None):
        self.actor = Actor(state_dim, action_dim, max_action)
        self.actor_target = Actor(state_dim, action_dim, max_action)
        self.critic = Critic(state_dim, action_dim)
        self.critic_target = Critic(state_dim, action_dim)
        # build the networks so that the variables exist before they are copied
        s0, a0 = tf.zeros((1, state_dim)), tf.zeros((1, action_dim))
        for m in (self.actor, self.actor_target):
            m(s0)
        for m in (self.critic, self.critic_target):
            m(s0, a0)
        for t, e in zip(self.actor_target.trainable_variables, self.actor.trainable_variables):
            t.assign(e)
        self.actor_optimizer = keras.optimizers.Adam(learning_rate=actor_lr)
        for t, e in zip(self.critic_target.trainable_variables, self.critic.trainable_variables):
            t.assign(e)
        self.critic_optimizer = keras.optimizers.Adam(learning_rate=critic_lr)
        self.critic_loss_fn = critic_loss_fn if critic_loss_fn is not None else tf.keras.losses.Huber()

        self.action_dim = action_dim
        self.max_action = max_action
        self.gamma = gamma
        self.tau = tau
        self.noise_std = noise_std
        self.noise_clip = noise_clip
        self.expl_noise = expl_noise
        self.actor_train_interval = actor_train_interval
        self.train_it = 0

    def select_action(self, state, noise: bool = False):
        state = state.reshape(1, -1)
        action = self.actor.call(state)[0].numpy()
        if noise:
            noise = tf.random.normal(action.shape, mean=0, stddev=self.expl_noise)
            action = tf.clip_by_value(action + noise, -self.max_action, self.max_action)
        return action

    def train(self, replay_buffer, batch_size=128):
        self.train_it += 1
        batch_states, batch_next_states, batch_actions, batch_rewards, batch_dones = \
            replay_buffer.sample(batch_size)

        # calculate a' and add noise
        next_actions = self.actor_target.call(batch_next_states)
        noise = tf.random.normal(next_actions.shape, mean=0, stddev=self.noise_std)
        noise = tf.clip_by_value(noise, -self.noise_clip, self.noise_clip)
        noisy_next_actions = tf.clip_by_value(next_actions + noise, -self.max_action, self.max_action)

        # calculate the min(Q(s', a')) from the two critic target networks
        target_q1, target_q2 = self.critic_target.call(batch_next_states, noisy_next_actions)
        target_q = tf.minimum(target_q1, target_q2)
        td_targets = tf.stop_gradient(batch_rewards + (1 - batch_dones) * self.gamma * target_q)

        # Use gradient descent on the critic network
        trainable_critic_variables = self.critic.trainable_variables
        with tf.GradientTape() as tape:
            model_q1, model_q2 = self.critic(batch_states, batch_actions)
            critic_loss = (self.critic_loss_fn(td_targets, model_q1)
                           + self.critic_loss_fn(td_targets, model_q2))
        critic_grads = tape.gradient(critic_loss, trainable_critic_variables)
        self.critic_optimizer.apply_gradients(zip(critic_grads, trainable_critic_variables))

        actor_loss = None
        # Use gradient ascent on the actor network at a set interval
        if self.train_it % self.actor_train_interval == 0:
            trainable_actor_variables = self.actor.trainable_variables
            with tf.GradientTape() as tape:
                actor_loss = -tf.reduce_mean(self.critic.Q1(batch_states, self.actor(batch_states)))
            actor_grads = tape.gradient(actor_loss, trainable_actor_variables)
            self.actor_optimizer.apply_gradients(zip(actor_grads, trainable_actor_variables))

            # update the weights in the critic and actor target models
            for t, e in zip(self.critic_target.trainable_variables, self.critic.trainable_variables):
                t.assign(t * (1 - self.tau) + e * self.tau)
            for t, e in zip(self.actor_target.trainable_variables, self.actor.trainable_variables):
                t.assign(t * (1 - self.tau) + e * self.tau)
        return float(critic_loss), (None if actor_loss is None else float(actor_loss))


if __name__ == "__main__":
    state_dim, action_dim = 3, 1
    agent = TD3(state_dim, action_dim, max_action=1.0)
    buffer = ReplayBuffer(state_dim, action_dim)
    critic_losses, actor_losses = [], []
    s = buffer.s[:256]
    err0 = np.abs(agent.actor(s).numpy()[:, 0] - 0.5 * s[:, 0]).mean()
    for it in range(200):
        c, a = agent.train(buffer, batch_size=64)
        critic_losses.append(c)
        if a is not None:
            actor_losses.append(a)
    print("critic loss first 20 %.4f last 20 %.4f" % (np.mean(critic_losses[:20]), np.mean(critic_losses[-20:])))
    print("mean |actor(s) - 0.5*s0| before %.3f after %.3f"
          % (err0, np.abs(agent.actor(s).numpy()[:, 0] - 0.5 * s[:, 0]).mean()))
    print("select_action example:", agent.select_action(s[0], noise=True))
