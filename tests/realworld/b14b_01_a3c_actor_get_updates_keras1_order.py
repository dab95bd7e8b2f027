"""rlcode's A3C CartPole agent (2-cartpole/5-a3c/cartpole_a3c.py) run under TF 2 in
graph mode: the global agent builds a shared-trunk actor and critic, and its
`actor_optimizer()` / `critic_optimizer()` methods build Keras-1 style symbolic losses
and call `optimizer.get_updates(self.actor.trainable_weights, [], actor_loss)`, the
Keras 1 signature `get_updates(params, constraints, loss)`. After fixing the
`_make_predict_function` error and switching to `tf.compat.v1` + graph mode, the user
got a TypeError from that line: OptimizerV2's signature is `get_updates(loss, params)`,
so the weights are passed where the loss belongs (and one argument too many). No
policy weight ever gets a gradient and the agent cannot even be built. Fix: call
`optimizer.get_updates(loss=actor_loss, params=self.actor.trainable_weights)` (same for
the critic).
---
source: https://github.com/rlcode/reinforcement-learning/issues/101
framework: keras2
outcome: error
cause: wrong_sources
static: false
line: 79
variables: [shared_fc/kernel, shared_fc/bias, actor_fc/kernel, actor_fc/bias, actor_out/kernel, actor_out/bias]
xfail: "tf-keras raises a TypeError on get_updates()'s argument count (the Keras 1 order `params, constraints, loss`) before any gradient is asked: gradtrace does not read that TypeError yet"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.python.framework.ops import disable_eager_execution
disable_eager_execution()
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers.legacy import Adam
from tensorflow.keras import backend as K

EPISODES = 2


class A3CAgent:
    def __init__(self, state_size, action_size, env_name):
        self.state_size = state_size
        self.action_size = action_size
        self.env_name = env_name
        self.actor_lr = 0.001
        self.critic_lr = 0.001
        self.discount_factor = .99
        self.hidden1, self.hidden2 = 24, 24
        self.threads = 2

        # create model for actor and critic network
        self.actor, self.critic = self.build_model()

        # method for training actor and critic network
        self.optimizer = [self.actor_optimizer(), self.critic_optimizer()]

    def build_model(self):
        state = Input(batch_shape=(None, self.state_size))
        shared = Dense(self.hidden1, activation='relu', kernel_initializer='glorot_uniform',
                       name='shared_fc')(state)
        actor_hidden = Dense(self.hidden2, activation='relu', kernel_initializer='glorot_uniform',
                             name='actor_fc')(shared)
        action_prob = Dense(self.action_size, activation='softmax',
                            kernel_initializer='glorot_uniform', name='actor_out')(actor_hidden)
        value_hidden = Dense(self.hidden2, activation='relu', kernel_initializer='he_uniform',
                             name='critic_fc')(shared)
        state_value = Dense(1, activation='linear', kernel_initializer='he_uniform',
                            name='critic_out')(value_hidden)
        actor = Model(inputs=state, outputs=action_prob)
        critic = Model(inputs=state, outputs=state_value)
        return actor, critic

    def actor_optimizer(self):
        action = K.placeholder(shape=(None, self.action_size))
        advantages = K.placeholder(shape=(None, ))
        policy = self.actor.output
        good_prob = K.sum(action * policy, axis=1)
        eligibility = K.log(good_prob + 1e-10) * K.stop_gradient(advantages)
        loss = -K.sum(eligibility)
        entropy = K.sum(policy * K.log(policy + 1e-10), axis=1)
        actor_loss = loss + 0.01 * entropy
        optimizer = Adam(learning_rate=self.actor_lr)
        updates = optimizer.get_updates(self.actor.trainable_weights, [], actor_loss)
        train = K.function([self.actor.input, action, advantages], [actor_loss], updates=updates)
        return train

    def critic_optimizer(self):
        discounted_reward = K.placeholder(shape=(None, ))
        value = self.critic.output
        loss = K.mean(K.square(discounted_reward - value))
        optimizer = Adam(learning_rate=self.critic_lr)
        updates = optimizer.get_updates(self.critic.trainable_weights, [], loss)
        train = K.function([self.critic.input, discounted_reward], [loss], updates=updates)
        return train

    def train(self, env):
        for e in range(EPISODES):
            states, actions, rewards = [], [], []
            state, done, t = env.reset(), False, 0
            while not done:
                policy = self.actor.predict(state[None], verbose=0)[0]
                a = np.random.choice(self.action_size, 1, p=policy)[0]
                next_state, r, done = env.step(a)
                states.append(state); rewards.append(r)
                act = np.zeros(self.action_size); act[a] = 1; actions.append(act)
                state = next_state
            states = np.array(states, dtype='float32')
            disc = np.cumsum(np.array(rewards, dtype='float32')[::-1])[::-1].copy()
            values = self.critic.predict(states, verbose=0)[:, 0]
            self.optimizer[0]([states, np.array(actions, dtype='float32'), disc - values])
            self.optimizer[1]([states, disc])
            print("episode", e, "length", len(rewards))


class RandomCartPole:
    """Stand-in for gym's CartPole-v0: 4-dim random states, reward 1, 10 steps."""
    def __init__(self):
        self.rng, self.t = np.random.RandomState(0), 0

    def reset(self):
        self.t = 0
        return self.rng.randn(4).astype('float32')

    def step(self, a):
        self.t += 1
        return self.rng.randn(4).astype('float32'), 1.0, self.t >= 10


if __name__ == "__main__":
    env_name = 'CartPole-v0'
    state_size, action_size = 4, 2
    global_agent = A3CAgent(state_size, action_size, env_name)   # TypeError escapes here
    global_agent.train(RandomCartPole())
