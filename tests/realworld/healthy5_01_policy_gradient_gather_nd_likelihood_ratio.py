"""Healthy: likelihood-ratio policy-gradient agent from the question "tensorflow: how come
gather_nd is differentiable?". The network keeps its weights as column-major matrices
(self.W1..W3, softmax over axis 0), picks the probability of each taken action with
tf.gather_nd(self.y, self.actions_array) and minimises -mean(log(pai) * reward). gather_nd
is differentiable with respect to the gathered tensor (its gradient scatters ones into the
selected entries), only not with respect to the integer indices, so every weight gets a
gradient. Ported from placeholders to tf.GradientTape; the CartPole environment is replaced
by a tiny contextual bandit (reward 1 when the action matches the sign of the first feature).
---
source: https://manongdao.com/article-1995905.html
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
np.random.seed(0)


class PolicyAgent:
    def __init__(self, n_in=4, n_hidden=16, n_actions=2):
        init = tf.keras.initializers.GlorotUniform(seed=0)
        self.W1 = tf.Variable(init((n_hidden, n_in)), name="W1")
        self.b1 = tf.Variable(tf.zeros((n_hidden, 1)), name="b1")
        self.W2 = tf.Variable(init((n_hidden, n_hidden)), name="W2")
        self.b2 = tf.Variable(tf.zeros((n_hidden, 1)), name="b2")
        self.W3 = tf.Variable(init((n_actions, n_hidden)), name="W3")
        self.b3 = tf.Variable(tf.zeros((n_actions, 1)), name="b3")
        self.variables = [self.W1, self.b1, self.W2, self.b2, self.W3, self.b3]
        self.optimizer = tf.keras.optimizers.Adam(0.02)

    def forward(self, states):
        # states: (n_in, batch), one column per time step
        self.h1 = tf.nn.relu(tf.matmul(self.W1, states) + self.b1)
        self.h2 = tf.nn.relu(tf.matmul(self.W2, self.h1) + self.b2)
        self.y = tf.nn.softmax(tf.matmul(self.W3, self.h2) + self.b3, axis=0)
        return self.y

    def train(self, states, actions, rewards):
        self.curr_reward = tf.constant(rewards, dtype=tf.float32)
        # [[action, step], ...] indexes into y of shape (n_actions, batch)
        self.actions_array = tf.constant(np.stack([actions, np.arange(len(actions))], axis=1), dtype=tf.int32)
        with tf.GradientTape() as tape:
            self.forward(states)
            self.pai_array = tf.gather_nd(self.y, self.actions_array)
            self.L = -tf.reduce_mean(tf.math.log(self.pai_array) * self.curr_reward)
        self.gradients = tape.gradient(self.L, self.variables)
        self.optimizer.apply_gradients(zip(self.gradients, self.variables))
        return float(self.L)


agent = PolicyAgent()
rng = np.random.RandomState(0)
for episode in range(60):
    states = rng.normal(size=(4, 32)).astype("float32")
    probs = agent.forward(states).numpy()
    actions = np.array([rng.choice(2, p=probs[:, t] / probs[:, t].sum()) for t in range(32)])
    rewards = (actions == (states[0] > 0)).astype("float32")
    rewards = rewards - rewards.mean()
    loss = agent.train(states, actions, rewards)

test = rng.normal(size=(4, 256)).astype("float32")
test_probs = agent.forward(test).numpy()
acc = np.mean(np.argmax(test_probs, axis=0) == (test[0] > 0))
nll = -np.mean(np.log(test_probs[(test[0] > 0).astype(int), np.arange(256)]))
print("final loss (nll of the rewarded action):", round(float(nll), 4))
print("greedy accuracy:", round(float(acc), 2))
