"""The user writes an actor-critic agent (A2C/ACER style) for Atari in TF2.
The environment rollout is Python/NumPy code (`np_train_step`) that steps the
environments, runs the model on the observations and returns rewards, actions,
value logits, dones, entropies and actor logits. Inside the GradientTape the
user calls it through `tf.numpy_function(self.np_train_step, [], [tf.float32]*8)`
and builds the policy and value losses from the returned `actor_logits` and
`value_logits`. `apply_gradients` fails with "ValueError: No gradients provided
for any variable: ['conv2d/kernel:0', ...]". Root cause: `tf.numpy_function`
has no gradient; the logits it returns are new constants with no connection to
the model's variables, even though the model ran inside it. Fix: run the model
on the observations inside the tape with TensorFlow ops (e.g. return only the
observations/actions/rewards from the NumPy rollout and call `self.model(obs)`
under the tape). Shrunk: a fake vectorised environment producing random 12x12
frames, a tiny conv actor-critic, 4 envs x 5 steps.
---
source: https://github.com/tensorflow/tensorflow/issues/47288
framework: both
outcome: error
cause: numpy_function
line: 83
variables: [conv2d, actor, critic]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Conv2D, Dense, Flatten, Input
from tensorflow.keras.models import Model

tf.keras.utils.set_random_seed(0)


class FakeEnvs:
    def __init__(self, n_envs, shape=(12, 12, 1), n_actions=4):
        self.n_envs, self.shape, self.n_actions = n_envs, shape, n_actions
        self.rng = np.random.default_rng(0)

    def reset(self):
        return self.rng.random((self.n_envs, *self.shape), dtype=np.float32)

    def step(self, actions):
        obs = self.rng.random((self.n_envs, *self.shape), dtype=np.float32)
        rewards = self.rng.random(self.n_envs).astype(np.float32)
        dones = (self.rng.random(self.n_envs) < 0.1).astype(np.float32)
        return obs, rewards, dones


def build_model(shape=(12, 12, 1), n_actions=4):
    x0 = Input(shape)
    x = Conv2D(8, 3, strides=2, activation="relu", name="conv2d")(x0)
    x = Flatten()(x)
    actor = Dense(n_actions, name="actor")(x)
    critic = Dense(n_actions, name="critic")(x)
    return Model(x0, [actor, critic])


class A2C:
    def __init__(self, envs, model, n_steps=5, gamma=0.99):
        self.envs, self.model, self.n_steps, self.gamma = envs, model, n_steps, gamma
        self.states = envs.reset()
        self.optimizer = tf.keras.optimizers.Adam(7e-4)
        self.batch_indices = tf.range(envs.n_envs * n_steps)

    def np_train_step(self):
        states, rewards, actions, values, dones, log_probs, entropies, actor_logits = [], [], [], [], [], [], [], []
        for _ in range(self.n_steps):
            logits, value = self.model(self.states)
            logits, value = logits.numpy(), value.numpy()
            probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
            action = np.array([np.random.choice(len(p), p=p) for p in probs])
            new_states, reward, done = self.envs.step(action)
            states.append(self.states); rewards.append(reward); actions.append(action.astype(np.float32))
            values.append(value); dones.append(done); actor_logits.append(logits)
            log_probs.append(np.log(probs[np.arange(len(action)), action]))
            entropies.append(-(probs * np.log(probs)).sum(-1))
            self.states = new_states
        cat = lambda a: np.concatenate(a).astype(np.float32)
        return (cat(states), cat(rewards), cat(actions), cat(values), cat(dones),
                cat(log_probs), cat(entropies), cat(actor_logits))

    def train_step(self):
        with tf.GradientTape() as tape:
            (_, rewards, actions, value_logits, dones, _, entropies, actor_logits,
             ) = tf.numpy_function(self.np_train_step, [], [tf.float32 for _ in range(8)])
            action_probs = tf.nn.softmax(actor_logits)
            values = tf.reduce_sum(action_probs * value_logits, axis=-1)
            action_indices = tf.stack([self.batch_indices, tf.cast(actions, tf.int32)], axis=1)
            selected_probs = tf.gather_nd(action_probs, action_indices)
            returns = rewards + self.gamma * values * (1.0 - dones)
            advantages = tf.stop_gradient(returns) - values
            actor_loss = -tf.reduce_mean(tf.math.log(selected_probs + 1e-8) * tf.stop_gradient(advantages))
            critic_loss = tf.reduce_mean(tf.square(advantages))
            loss = actor_loss + 0.5 * critic_loss - 0.01 * tf.reduce_mean(entropies)
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))
        return loss


agent = A2C(FakeEnvs(4), build_model())
print([getattr(v, "path", v.name) for v in agent.model.trainable_variables])
for update in range(3):
    print("update", update, "loss", float(agent.train_step()))
