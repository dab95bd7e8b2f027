"""REINFORCE agent (rlcode grid-world `reinforce_agent.py`) ported to TF 2.4 / Keras 2.4:
the policy network's update is built in the agent's `optimizer()` method with a Keras-1
style symbolic loss, `optimizer.get_updates(...)` and `K.function`. The repo's call
`get_updates(self.model.trainable_weights, [], loss)` raises a TypeError on Keras 2.4,
and dropping the `[]` (the user's edit, after `disable_eager_execution()` had been added
to get past an earlier Tensor-to-numpy error) leaves the arguments in the old
(params, loss) order while OptimizerV2's signature is `get_updates(loss, params)`.
Keras then differentiates the list of weights with respect to the loss tensor and fails
with exactly the reported `ValueError: Variable Tensor("Neg:0", shape=(), dtype=float32)
has None for gradient`. No policy weight ever gets a gradient. Fix (as the maintainers of
the Korean edition answered for the same file): `optimizer.get_updates(loss=loss,
params=self.model.trainable_weights)`.
---
source: https://github.com/rlcode/reinforcement-learning/issues/104
framework: keras2
outcome: error
cause: wrong_sources
static: false
also: [disconnected]
line: 65
variables: [policy_h1/kernel, policy_h1/bias, policy_h2/kernel, policy_h2/bias, policy_out/kernel, policy_out/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import copy
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.python.framework.ops import disable_eager_execution
disable_eager_execution()
from tensorflow.keras.layers import Dense
from tensorflow.keras.optimizers.legacy import Adam   # Keras 2.4's Adam (OptimizerV2)
from tensorflow.keras.models import Sequential
from tensorflow.keras import backend as K

EPISODES = 3


class ReinforceAgent:
    def __init__(self):
        self.action_space = [0, 1, 2, 3, 4]
        self.action_size = len(self.action_space)
        self.state_size = 15
        self.discount_factor = 0.99
        self.learning_rate = 0.001

        self.model = self.build_model()
        self.optimizer = self.optimizer()
        self.states, self.actions, self.rewards = [], [], []

    def build_model(self):
        model = Sequential()
        model.add(Dense(24, input_dim=self.state_size, activation='relu', name='policy_h1'))
        model.add(Dense(24, activation='relu', name='policy_h2'))
        model.add(Dense(self.action_size, activation='softmax', name='policy_out'))
        return model

    def optimizer(self):
        action = K.placeholder(shape=[None, 5])
        discounted_rewards = K.placeholder(shape=[None, ])
        good_prob = K.sum(action * self.model.output, axis=1)
        eligibility = K.log(good_prob) * K.stop_gradient(discounted_rewards)
        loss = -K.sum(eligibility)

        optimizer = Adam(learning_rate=self.learning_rate)
        updates = optimizer.get_updates(self.model.trainable_weights, loss)
        train = K.function([self.model.input, action, discounted_rewards], [loss],
                           updates=updates)
        return train

    def get_action(self, state):
        policy = self.model.predict(state, verbose=0)[0]
        return np.random.choice(self.action_size, 1, p=policy)[0]

    def discount_rewards(self, rewards):
        discounted_rewards = np.zeros_like(rewards)
        running_add = 0
        for t in reversed(range(0, len(rewards))):
            running_add = running_add * self.discount_factor + rewards[t]
            discounted_rewards[t] = running_add
        return discounted_rewards

    def remember_episode(self, state, action, reward):
        self.states.append(state[0])
        self.rewards.append(reward)
        act = np.zeros(self.action_size)
        act[action] = 1
        self.actions.append(act)

    def train_model(self):
        discounted_rewards = np.float32(self.discount_rewards(self.rewards))
        discounted_rewards -= np.mean(discounted_rewards)
        discounted_rewards /= (np.std(discounted_rewards) + 1e-8)
        self.optimizer([np.array(self.states), np.array(self.actions, dtype="float32"),
                        discounted_rewards])
        self.states, self.actions, self.rewards = [], [], []


class RandomGridEnv:
    """Stand-in for the tkinter grid world: random 15-dim states, -1/0/+1 rewards."""
    def __init__(self, seed=0):
        self.rng = np.random.RandomState(seed)
        self.t = 0

    def reset(self):
        self.t = 0
        return self.rng.rand(15).astype('float32')

    def step(self, action):
        self.t += 1
        reward = float(self.rng.choice([-1, 0, 1]))
        return self.rng.rand(15).astype('float32'), reward, self.t >= 8


if __name__ == "__main__":
    env = RandomGridEnv()
    agent = ReinforceAgent()   # the ValueError escapes here, from agent.optimizer()
    for e in range(EPISODES):
        done = False
        score = 0
        state = np.reshape(env.reset(), [1, 15])
        while not done:
            action = agent.get_action(state)
            next_state, reward, done = env.step(action)
            next_state = np.reshape(next_state, [1, 15])
            agent.remember_episode(state, action, reward)
            score += reward
            state = copy.deepcopy(next_state)
            if done:
                agent.train_model()
                print("episode:", e, "  score:", score)
