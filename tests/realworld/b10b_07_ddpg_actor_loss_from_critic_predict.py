"""The user rewrites MorvanZhou's TF1 DDPG (Pendulum) with tf.keras: an actor
network `a` (state -> action) and a critic network `c` ([state, action] -> Q).
The critic trains with a TD target, but when updating the actor the loss is
built from the critic's output obtained with `critic.predict(...)`
(`q = self.critic.predict([s, a])`, `a_loss = -mean(q)`), and the actor gets
no gradient ("No gradients provided for any variable"), so it never learns.
The Q value returned by `predict` is a NumPy array: the chain from the actor's
weights through the critic to the loss is cut there. Per the thread's reply,
the loss must be computed as `critic([state, actor(state)])` (calling the
models, not `predict`) inside the GradientTape so automatic differentiation
reaches the actor. Shrunk: random transitions of a 3-d state / 1-d action
environment in a replay buffer, a few learning steps.
---
source: https://github.com/MorvanZhou/Reinforcement-learning-with-tensorflow/issues/144
framework: both
outcome: error
cause: predict_in_tape
line: 77
variables: [actor_l1, actor_a]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

S_DIM, A_DIM, A_BOUND = 3, 1, 2.0
LR_A, LR_C, GAMMA, BATCH_SIZE, MEMORY_CAPACITY = 1e-3, 2e-3, 0.9, 32, 200


def build_actor():
    s = keras.Input((S_DIM,))
    net = keras.layers.Dense(30, activation="relu", name="actor_l1")(s)
    a = keras.layers.Dense(A_DIM, activation="tanh", name="actor_a")(net)
    a = keras.layers.Rescaling(A_BOUND)(a)
    return keras.Model(s, a, name="actor")


def build_critic():
    s = keras.Input((S_DIM,))
    a = keras.Input((A_DIM,))
    net = keras.layers.Concatenate()([s, a])
    net = keras.layers.Dense(30, activation="relu", name="critic_l1")(net)
    q = keras.layers.Dense(1, name="critic_q")(net)
    return keras.Model([s, a], q, name="critic")


class DDPG(object):
    def __init__(self):
        self.memory = np.zeros((MEMORY_CAPACITY, S_DIM * 2 + A_DIM + 1), dtype=np.float32)
        self.pointer = 0
        self.actor, self.actor_target = build_actor(), build_actor()
        self.critic, self.critic_target = build_critic(), build_critic()
        self.a_opt = keras.optimizers.Adam(LR_A)
        self.c_opt = keras.optimizers.Adam(LR_C)

    def store_transition(self, s, a, r, s_):
        self.memory[self.pointer % MEMORY_CAPACITY, :] = np.hstack((s, a, [r], s_))
        self.pointer += 1

    def learn(self):
        bt = tf.convert_to_tensor(self.memory[np.random.choice(MEMORY_CAPACITY, size=BATCH_SIZE)])
        bs, ba = bt[:, :S_DIM], bt[:, S_DIM:S_DIM + A_DIM]
        br, bs_ = bt[:, -S_DIM - 1:-S_DIM], bt[:, -S_DIM:]

        q_ = self.critic_target([bs_, self.actor_target(bs_)])
        q_target = br + GAMMA * q_
        with tf.GradientTape() as tape:
            q = self.critic([bs, ba])
            td_error = tf.reduce_mean(tf.square(q_target - q))
        c_grads = tape.gradient(td_error, self.critic.trainable_variables)
        self.c_opt.apply_gradients(zip(c_grads, self.critic.trainable_variables))

        with tf.GradientTape() as tape:
            a = self.actor(bs)
            q = self.critic.predict([bs, a], verbose=0)
            a_loss = -tf.reduce_mean(q)
        a_grads = tape.gradient(a_loss, self.actor.trainable_variables)
        self.a_opt.apply_gradients(zip(a_grads, self.actor.trainable_variables))
        return float(td_error), float(a_loss)


ddpg = DDPG()
print([getattr(v, "path", v.name) for v in ddpg.actor.trainable_variables])
rng = np.random.default_rng(0)
for i in range(MEMORY_CAPACITY):
    s = rng.normal(size=S_DIM).astype(np.float32)
    ddpg.store_transition(s, rng.uniform(-2, 2, A_DIM), float(rng.normal()), rng.normal(size=S_DIM))
for step in range(3):
    print("step", step, ddpg.learn())
