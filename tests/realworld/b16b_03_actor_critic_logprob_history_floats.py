"""A user porting the Keras actor-critic CartPole example (TensorFlow.NET, C#;
rewritten here in Python) split it into an actor network and a critic network
with one optimizer each. During the episode, under the GradientTape, the
critic values were kept as tensors, but the log-probabilities of the chosen
actions were stored in a list of plain doubles (`List<double>`), and the actor
loss was rebuilt afterwards as `-convert_to_tensor(logp) * (return - value)`.
The gradient of the actor loss with respect to the actor's variables was null
for every variable (here: `apply_gradients` raises "No gradients provided for
any variable"). The cause is that converting the log-probability to a host
number throws away its history: the tensor made from it again is a constant,
so the only path left from the actor loss goes into the critic. The fix is to
keep the log-probabilities as tensors (append `tf.math.log(probs[0, action])`
itself and `tf.stack` them), exactly as the critic values are kept.
---
source: https://github.com/SciSharp/TensorFlow.NET/issues/1197
framework: both
outcome: error
cause: numpy_conversion
line: [73]
variables: [actor_hidden, actor_probs]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras

N_STATE, N_ACTIONS, GAMMA = 4, 2, 0.99


class ToyCartPole:
    """A stand-in for CartPole: random dynamics, reward 1, 12 steps."""

    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)

    def reset(self):
        self.t = 0
        return self.rng.normal(size=N_STATE).astype("float32")

    def step(self, action):
        self.t += 1
        state = self.rng.normal(size=N_STATE).astype("float32") + 0.1 * action
        return state, 1.0, self.t >= 12


def build(name, units, activation, head):
    inp = keras.Input(shape=(N_STATE,))
    h = keras.layers.Dense(32, activation="relu", name=f"{name}_hidden")(inp)
    out = keras.layers.Dense(units, activation=activation, name=f"{name}_{head}")(h)
    return keras.Model(inp, out, name=name)


class ActorCriticAgent:
    def __init__(self):
        self.actor = build("actor", N_ACTIONS, "softmax", "probs")
        self.critic = build("critic", 1, None, "value")
        self.optimizer_actor = keras.optimizers.Adam(1e-4)
        self.optimizer_critic = keras.optimizers.Adam(1e-4)
        self.huber = keras.losses.Huber(reduction="sum")
        self.rng = np.random.default_rng(0)

    def play_episode(self, env):
        action_probs_history, critic_value_history, rewards_history = [], [], []
        state, done = env.reset(), False
        while not done:
            s = tf.convert_to_tensor(state[None, :])
            probs = self.actor(s)
            critic_value_history.append(self.critic(s)[0, 0])
            p = probs.numpy()[0]
            action = int(self.rng.choice(N_ACTIONS, p=p / p.sum()))
            action_probs_history.append(float(tf.math.log(probs[0, action])))
            state, reward, done = env.step(action)
            rewards_history.append(reward)
        return action_probs_history, critic_value_history, rewards_history

    @staticmethod
    def discounted_returns(rewards):
        returns, running = [], 0.0
        for r in reversed(rewards):
            running = r + GAMMA * running
            returns.insert(0, running)
        returns = np.array(returns, dtype="float32")
        return (returns - returns.mean()) / (returns.std() + 1e-8)

    def losses(self, log_probs, values, returns):
        actor_loss, critic_loss = 0.0, 0.0
        for logp, value, ret in zip(log_probs, values, returns):
            temporal_difference = ret - value
            actor_loss += -tf.convert_to_tensor(logp, tf.float32) * temporal_difference
            critic_loss += self.huber(tf.reshape(ret, (1,)), tf.reshape(value, (1,)))
        return actor_loss, critic_loss

    def train_episode(self, env):
        with tf.GradientTape(persistent=True) as tape:
            log_probs, values, rewards = self.play_episode(env)
            actor_loss, critic_loss = self.losses(
                log_probs, values, self.discounted_returns(rewards))
        critic_vars = self.critic.trainable_variables
        critic_grads = tape.gradient(critic_loss, critic_vars)
        self.optimizer_critic.apply_gradients(zip(critic_grads, critic_vars))
        actor_vars = self.actor.trainable_variables
        actor_grads = tape.gradient(actor_loss, actor_vars)
        print("actor gradients:", actor_grads)
        self.optimizer_actor.apply_gradients(zip(actor_grads, actor_vars))
        del tape


def main():
    ActorCriticAgent().train_episode(ToyCartPole())


if __name__ == "__main__":
    main()
