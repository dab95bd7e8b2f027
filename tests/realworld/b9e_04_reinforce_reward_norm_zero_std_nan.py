"""A user ran MorvanZhou's REINFORCE `PolicyGradient` brain on their own environment. After a
call to learn(), the action probabilities `prob_weights` were all [nan, ..., nan]. The user then
traced the NaN to the reward normalisation in _discount_and_norm_rewards:
`discounted_ep_rs /= np.std(discounted_ep_rs)`. Their environment is not shown; here it has a
sparse reward (a stand-in), so an episode can end with every reward equal to 0: the discounted returns are all 0, their std is 0 and
0/0 gives NaN returns. The NaN `tf_vt` makes the loss and every gradient NaN, Adam writes NaN into
all the weights, and the next np.random.choice fails on NaN probabilities. (The author's answer:
NaN comes from values that are too large/small; dividing by the std is only there to reduce the
variance and can be dropped.) Fix: divide by (np.std(...) + 1e-8) or skip the normalisation when
the std is 0. Ported from TF1 (tf.layers / Session) to a GradientTape loop, same class and names.
---
source: https://github.com/MorvanZhou/Reinforcement-learning-with-tensorflow/issues/99
framework: both
outcome: error
cause: nonfinite_gradient
line: 89
variables: [fc1, fc2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class PolicyGradient:
    def __init__(self, n_actions, n_features, learning_rate=0.01, reward_decay=0.95):
        self.n_actions = n_actions
        self.n_features = n_features
        self.lr = learning_rate
        self.gamma = reward_decay

        self.ep_obs, self.ep_as, self.ep_rs = [], [], []

        self._build_net()

    def _build_net(self):
        self.model = tf.keras.Sequential([
            tf.keras.Input(shape=(self.n_features,), name="observations"),
            tf.keras.layers.Dense(
                10, activation=tf.nn.tanh,
                kernel_initializer=tf.random_normal_initializer(mean=0, stddev=0.3),
                bias_initializer=tf.constant_initializer(0.1), name='fc1'),
            tf.keras.layers.Dense(
                self.n_actions, activation=None,
                kernel_initializer=tf.random_normal_initializer(mean=0, stddev=0.3),
                bias_initializer=tf.constant_initializer(0.1), name='fc2'),
        ])
        self.optimizer = tf.keras.optimizers.Adam(self.lr)

    def choose_action(self, observation):
        all_act = self.model(observation[np.newaxis, :].astype(np.float32))
        prob_weights = tf.nn.softmax(all_act).numpy()
        action = np.random.choice(range(prob_weights.shape[1]), p=prob_weights.ravel())
        return action

    def store_transition(self, s, a, r):
        self.ep_obs.append(s)
        self.ep_as.append(a)
        self.ep_rs.append(r)

    def learn(self):
        # discount and normalize episode reward
        discounted_ep_rs_norm = self._discount_and_norm_rewards()

        tf_obs = tf.constant(np.vstack(self.ep_obs), tf.float32)
        tf_acts = tf.constant(np.array(self.ep_as), tf.int32)
        tf_vt = tf.constant(discounted_ep_rs_norm, tf.float32)
        with tf.GradientTape() as tape:
            all_act = self.model(tf_obs)
            neg_log_prob = tf.nn.sparse_softmax_cross_entropy_with_logits(logits=all_act, labels=tf_acts)
            loss = tf.reduce_mean(neg_log_prob * tf_vt)  # reward guided loss
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))

        self.ep_obs, self.ep_as, self.ep_rs = [], [], []    # empty episode data
        return discounted_ep_rs_norm

    def _discount_and_norm_rewards(self):
        # discount episode rewards
        discounted_ep_rs = np.zeros_like(self.ep_rs)
        running_add = 0
        for t in reversed(range(0, len(self.ep_rs))):
            running_add = running_add * self.gamma + self.ep_rs[t]
            discounted_ep_rs[t] = running_add

        # normalize episode rewards
        discounted_ep_rs -= np.mean(discounted_ep_rs)
        discounted_ep_rs /= np.std(discounted_ep_rs)
        return discounted_ep_rs


class SparseGoalEnv:
    """The user's own environment: reward 1.0 only when the goal is hit, else 0.0."""

    def __init__(self, n_features=4, max_steps=10):
        self.n_features = n_features
        self.max_steps = max_steps

    def reset(self):
        self.t = 0
        return np.random.randn(self.n_features)

    def step(self, action):
        self.t += 1
        reward = 1.0 if (action == 1 and np.random.rand() < 0.3) else 0.0
        done = self.t >= self.max_steps
        return np.random.randn(self.n_features), reward, done


env = SparseGoalEnv()
RL = PolicyGradient(n_actions=2, n_features=env.n_features, learning_rate=0.02, reward_decay=0.99)

for i_episode in range(20):
    observation = env.reset()
    while True:
        action = RL.choose_action(observation)
        observation_, reward, done = env.step(action)
        RL.store_transition(observation, action, reward)
        if done:
            ep_rs_sum = sum(RL.ep_rs)
            vt = RL.learn()
            print("episode:", i_episode, "  reward:", ep_rs_sum)
            break
        observation = observation_
