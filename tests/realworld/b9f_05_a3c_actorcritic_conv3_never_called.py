"""The Korean RL book repo (rlcode/reinforcement-learning-kr-v2) trains Breakout with A3C. Its
`ActorCritic` subclassed model creates three conv layers in `__init__` (conv1, conv2, conv3), but
`call()` goes conv1 -> conv2 -> flatten and never applies `self.conv3`. A reader who added
`self.global_model.summary()` got "You tried to call `count_params` on conv2d_2, but the layer
isn't built" (issue #18) and only found a workaround for printing the summary. The real problem is
that the third conv layer is silently skipped: it is never called, so it is never built and owns no
weights, the network trains as a two-conv model, and Keras gives no gradient warning because the
layer has no variables to warn about (today's summary just lists conv3 as "0 (unbuilt)" in
Keras 3 / "0 (unused)" in tf-keras). The sibling DQN script in the same repo calls `self.conv3`.
Fix: add `x = self.conv3(x)` after `x = self.conv2(x)` in `call()`. Shrunk here: no gym, no
threads, random frames, one local/global model pair, a few updates; the models are built by
calling them once on a dummy frame (Keras 3's `build()` on this subclass creates no weights).
---
source: https://github.com/rlcode/reinforcement-learning-kr-v2/issues/18
framework: both
outcome: trains_silently
cause: unused_variable
static: false
line: [43, 45, 46, 36]
variables: [conv3]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Conv2D, Flatten, Dense

tf.keras.utils.set_random_seed(0)


# ActorCritic network
class ActorCritic(tf.keras.Model):
    def __init__(self, action_size, state_size):
        super(ActorCritic, self).__init__()
        self.conv1 = Conv2D(32, (8, 8), strides=(4, 4), activation='relu', name='conv1')
        self.conv2 = Conv2D(64, (4, 4), strides=(2, 2), activation='relu', name='conv2')
        self.conv3 = Conv2D(64, (3, 3), strides=(1, 1), activation='relu', name='conv3')
        self.flatten = Flatten()
        self.shared_fc = Dense(64, activation='relu', name='shared_fc')

        self.policy = Dense(action_size, activation='linear', name='policy')
        self.value = Dense(1, activation='linear', name='value')

    def call(self, x):
        x = self.conv1(x)
        x = self.conv2(x)
        x = self.flatten(x)
        x = self.shared_fc(x)

        policy = self.policy(x)
        value = self.value(x)
        return policy, value


class Runner:
    def __init__(self, action_size, state_size, global_model, optimizer, discount_factor):
        self.action_size = action_size
        self.state_size = state_size
        self.global_model = global_model
        self.optimizer = optimizer
        self.discount_factor = discount_factor
        self.states, self.actions, self.rewards = [], [], []
        self.local_model = ActorCritic(action_size, state_size)
        self.local_model(np.zeros((1, *state_size), np.float32))  # build
        self.local_model.set_weights(self.global_model.get_weights())

    def append_sample(self, history, action, reward):
        self.states.append(history)
        act = np.zeros(self.action_size)
        act[action] = 1
        self.actions.append(act)
        self.rewards.append(reward)

    def discounted_prediction(self, rewards, done):
        discounted_prediction = np.zeros_like(rewards)
        running_add = 0
        if not done:
            last_state = np.float32(self.states[-1] / 255.)
            running_add = self.local_model(last_state)[-1][0][0].numpy()
        for t in reversed(range(0, len(rewards))):
            running_add = running_add * self.discount_factor + rewards[t]
            discounted_prediction[t] = running_add
        return discounted_prediction

    def compute_loss(self, done):
        discounted_prediction = self.discounted_prediction(self.rewards, done)
        discounted_prediction = tf.convert_to_tensor(discounted_prediction[:, None],
                                                     dtype=tf.float32)
        states = np.zeros((len(self.states), *self.state_size))
        for i in range(len(self.states)):
            states[i] = self.states[i]
        states = np.float32(states / 255.)

        policy, values = self.local_model(states)

        advantages = discounted_prediction - values
        critic_loss = 0.5 * tf.reduce_sum(tf.square(advantages))

        action = tf.convert_to_tensor(self.actions, dtype=tf.float32)
        policy_prob = tf.nn.softmax(policy)
        action_prob = tf.reduce_sum(action * policy_prob, axis=1, keepdims=True)
        cross_entropy = - tf.math.log(action_prob + 1e-10)
        actor_loss = tf.reduce_sum(cross_entropy * tf.stop_gradient(advantages))

        entropy = tf.reduce_sum(policy_prob * tf.math.log(policy_prob + 1e-10), axis=1)
        entropy = tf.reduce_sum(entropy)
        actor_loss += 0.01 * entropy

        total_loss = 0.5 * critic_loss + actor_loss
        return total_loss

    def train_model(self, done):
        global_params = self.global_model.trainable_variables
        local_params = self.local_model.trainable_variables
        with tf.GradientTape() as tape:
            total_loss = self.compute_loss(done)
        grads = tape.gradient(total_loss, local_params)
        grads, _ = tf.clip_by_global_norm(grads, 40.0)
        self.optimizer.apply_gradients(zip(grads, global_params))
        self.local_model.set_weights(self.global_model.get_weights())
        self.states, self.actions, self.rewards = [], [], []
        return float(total_loss)


state_size = (36, 36, 4)
action_size = 3
global_model = ActorCritic(action_size, state_size)
global_model(np.zeros((1, *state_size), np.float32))  # build
optimizer = tf.keras.optimizers.Adam(1e-4)

runner = Runner(action_size, state_size, global_model, optimizer, 0.99)
for update in range(3):
    for t in range(8):
        history = np.random.randint(0, 255, (1, *state_size)).astype("float32")
        runner.append_sample(history, np.random.randint(action_size), np.random.rand())
    print("update", update, "loss", runner.train_model(done=(update == 2)))

global_model.summary()
