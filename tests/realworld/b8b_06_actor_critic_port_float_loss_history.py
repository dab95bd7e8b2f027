"""Port of the keras.io "Actor Critic Method" (CartPole) to TensorFlow.NET, reproduced here in
Python with the port's structure: inside one GradientTape over the episode, the probability of
each chosen action is stored in a list of plain doubles (`action_probs_history.append(float(...))`,
the C# `List<double>`), the per-step actor and critic losses are summed into Python floats, and
the total `loss_value` (a float) is wrapped with `tf.convert_to_tensor` just before
`tape.gradient`. A tensor made from a Python number has no history on the tape, so every gradient
is None and `apply_gradients` finds no gradient for any variable; the reporter tried
`tape.watch` on several tensors, to no avail. Fix: keep the log-probabilities, values and losses
as tensors (`tf.math.log(action_probs[0, action])`, sum the tensors) and differentiate that sum.
---
source: https://github.com/SciSharp/TensorFlow.NET/issues/760
framework: both
outcome: error
cause: numpy_conversion
line: [83, 116, 121]
variables: [dense/kernel, dense_2/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

np.random.seed(42)
tf.random.set_seed(42)

gamma = 0.99  # Discount factor for past rewards
max_steps_per_episode = 20
eps = np.finfo(np.float32).eps.item()


class CartPole:
    """Tiny stand-in for gym's CartPole-v0 (same state size and action count)."""
    def reset(self):
        self.state = np.random.uniform(-0.05, 0.05, size=4)
        self.t = 0
        return self.state

    def step(self, action):
        self.t += 1
        self.state = self.state + 0.02 * np.array([self.state[1], action - 0.5, self.state[3], 0.5 - action])
        done = abs(self.state[2]) > 0.2 or self.t >= 15
        return self.state, 1.0, done, {}


env = CartPole()

num_inputs = 4
num_actions = 2
num_hidden = 32

inputs = layers.Input(shape=(num_inputs,))
common = layers.Dense(num_hidden, activation="relu")(inputs)
action = layers.Dense(num_actions, activation="softmax")(common)
critic = layers.Dense(1)(common)

model = keras.Model(inputs=inputs, outputs=[action, critic])
print([v.path if hasattr(v, "path") else v.name for v in model.trainable_variables])

optimizer = keras.optimizers.Adam(learning_rate=0.01)
huber_loss = keras.losses.Huber()
critic_value_history = []
action_probs_history = []   # List<double> in the port
rewards_history = []
running_reward = 0
episode_count = 0

for _ in range(2):  # Run until solved
    state = env.reset()
    episode_reward = 0
    with tf.GradientTape() as tape:
        for timestep in range(1, max_steps_per_episode):
            state = tf.convert_to_tensor(state, dtype=tf.float32)
            state = tf.expand_dims(state, 0)

            # Predict action probabilities and estimated future rewards
            # from environment state
            action_probs, critic_value = model(state)
            critic_value_history.append(critic_value[0, 0])

            # Sample action from action probability distribution
            action = np.random.choice(num_actions, p=np.squeeze(action_probs))
            action_probs_history.append(float(np.log(action_probs[0, action])))

            # Apply the sampled action in our environment
            state, reward, done, _ = env.step(action)
            rewards_history.append(reward)
            episode_reward += reward

            if done:
                break

        # Update running reward to check condition for solving
        running_reward = 0.05 * episode_reward + (1 - 0.05) * running_reward

        # Calculate expected value from rewards
        returns = []
        discounted_sum = 0
        for r in rewards_history[::-1]:
            discounted_sum = r + gamma * discounted_sum
            returns.insert(0, discounted_sum)

        # Normalize
        returns = np.array(returns)
        returns = (returns - np.mean(returns)) / (np.std(returns) + eps)
        returns = returns.tolist()

        # Calculating loss values to update our network
        history = zip(action_probs_history, critic_value_history, returns)
        actor_losses_sum = 0.0
        critic_losses_sum = 0.0
        for log_prob, value, ret in history:
            diff = ret - float(value)
            actor_losses_sum += -log_prob * diff  # actor loss

            critic_losses_sum += float(
                huber_loss(tf.expand_dims(value, 0), tf.expand_dims(ret, 0))
            )

        # Backpropagation
        loss_value = actor_losses_sum + critic_losses_sum
        loss_value_tensor = tf.convert_to_tensor(loss_value)
        tape.watch(loss_value_tensor)
    grads = tape.gradient(loss_value_tensor, model.trainable_variables)
    print("gradients:", grads)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

    # Clear the loss and reward history
    action_probs_history.clear()
    critic_value_history.clear()
    rewards_history.clear()

    episode_count += 1
    print("running reward: {:.2f} at episode {}".format(running_reward, episode_count))
