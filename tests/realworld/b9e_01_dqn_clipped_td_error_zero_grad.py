"""A user writing their own DQN (after DeepMind's Nature paper) wanted the "error clipping" of the
paper and wrote `clipped_loss_vec = tf.clip_by_value(loss, -1, 1)` on the TD error before squaring
it. The agent never learned; printing the gradients showed they were all exactly 0 whenever the
error was outside [-1, 1]. The cause: clip_by_value is flat outside its range, so its derivative
there is 0 and no gradient reaches the Q-network. With the raw (unclipped) rewards of the game every
TD error is larger than 1 at the start, so the whole gradient is zero and the weights never move.
As the answer explains, DeepMind meant clipping the *gradient* of the squared error, which is the
same as using a Huber loss: replace the clip + square by `tf.keras.losses.Huber(delta=1.0)` (or
tf.where(|d|<1, 0.5*d^2, |d|-0.5)). The question was TF1 and showed only the clip line; the
DQN around it (Q-network, target network, replay, tf.function step) is a shrunk TF2 stand-in.
---
source: https://exchangetuts.com/loss-clipping-in-tensor-flow-on-deepminds-dqn-1640205723291275
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: 58
variables: [q_hidden, q_out]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

STATE_DIM = 8
N_ACTIONS = 4
GAMMA = 0.99
BATCH = 32


def build_q_network():
    inputs = tf.keras.Input(shape=(STATE_DIM,))
    h = tf.keras.layers.Dense(32, activation="relu", name="q_hidden")(inputs)
    q = tf.keras.layers.Dense(N_ACTIONS, name="q_out")(h)
    return tf.keras.Model(inputs, q)


class DQNAgent:
    def __init__(self):
        self.q_net = build_q_network()
        self.target_net = build_q_network()
        self.target_net.set_weights(self.q_net.get_weights())
        self.optimizer = tf.keras.optimizers.RMSprop(learning_rate=2.5e-4)
        self.memory = []

    def remember(self, s, a, r, s2, done):
        self.memory.append((s, a, r, s2, done))

    @tf.function
    def train_step(self, states, actions, rewards, next_states, dones):
        q_next = tf.reduce_max(self.target_net(next_states), axis=1)
        y = rewards + GAMMA * (1.0 - dones) * q_next
        with tf.GradientTape() as tape:
            q_all = self.q_net(states)
            q_sa = tf.reduce_sum(q_all * tf.one_hot(actions, N_ACTIONS), axis=1)
            loss = y - q_sa
            clipped_loss_vec = tf.clip_by_value(loss, -1, 1)
            total_loss = tf.reduce_mean(tf.square(clipped_loss_vec))
        grads = tape.gradient(total_loss, self.q_net.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.q_net.trainable_variables))
        return total_loss

    def replay(self):
        idx = np.random.randint(0, len(self.memory), size=BATCH)
        s, a, r, s2, d = zip(*[self.memory[i] for i in idx])
        return self.train_step(
            tf.constant(np.array(s), tf.float32), tf.constant(np.array(a), tf.int32),
            tf.constant(np.array(r), tf.float32), tf.constant(np.array(s2), tf.float32),
            tf.constant(np.array(d), tf.float32))


# fake "Atari" transitions: game scores are not clipped, rewards are in the tens
agent = DQNAgent()
for _ in range(500):
    s = np.random.randn(STATE_DIM).astype("float32")
    s2 = np.random.randn(STATE_DIM).astype("float32")
    agent.remember(s, np.random.randint(N_ACTIONS), float(np.random.choice([10.0, 25.0, 50.0])),
                   s2, float(np.random.rand() < 0.05))

for step in range(30):
    l = agent.replay()
    if step % 10 == 0:
        print("step", step, "loss", float(l))
