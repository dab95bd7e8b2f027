"""keras.io DQN (Breakout, shrunk to a toy env): epsilon-greedy actions from
tf.argmax(...).numpy(), a replay buffer of Python lists, the target computed OUTSIDE the
tape with model_target.predict + reduce_max, the chosen Q-value picked by a one_hot mask
inside the tape, Huber loss, and periodic model_target.set_weights. Only `model` trains.

---
source: https://github.com/keras-team/keras-io/blob/master/examples/rl/deep_q_network_breakout.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
from tensorflow import keras
from tensorflow.keras import layers

gamma, epsilon, batch_size, num_actions = 0.99, 0.5, 16, 4
rng = np.random.default_rng(0)


def create_q_model():
    inputs = layers.Input(shape=(12, 12, 2))
    layer1 = layers.Conv2D(8, 4, strides=2, activation="relu")(inputs)
    layer2 = layers.Flatten()(layer1)
    layer3 = layers.Dense(16, activation="relu")(layer2)
    action = layers.Dense(num_actions, activation="linear")(layer3)
    return keras.Model(inputs=inputs, outputs=action)


model = create_q_model()
model_target = create_q_model()
model_target.set_weights(model.get_weights())
optimizer = keras.optimizers.Adam(learning_rate=0.001, clipnorm=1.0)
loss_function = keras.losses.Huber()

action_history, state_history, state_next_history, rewards_history, done_history = [], [], [], [], []
update_after_actions, update_target_network = 4, 20
state = rng.random((12, 12, 2)).astype(np.float32)
before = [v.numpy().copy() for v in model.trainable_variables]
losses = []
for frame_count in range(1, 81):
    if epsilon > rng.random():
        action = int(rng.integers(num_actions))
    else:
        state_tensor = tf.convert_to_tensor(state)
        state_tensor = tf.expand_dims(state_tensor, 0)
        action_probs = model(state_tensor, training=False)
        action = tf.argmax(action_probs[0]).numpy()
    state_next = rng.random((12, 12, 2)).astype(np.float32)
    reward, done = float(action == 2), frame_count % 20 == 0
    action_history.append(action)
    state_history.append(state)
    state_next_history.append(state_next)
    done_history.append(done)
    rewards_history.append(reward)
    state = state_next

    if frame_count % update_after_actions == 0 and len(done_history) > batch_size:
        indices = rng.choice(range(len(done_history)), size=batch_size)
        state_sample = np.array([state_history[i] for i in indices])
        state_next_sample = np.array([state_next_history[i] for i in indices])
        rewards_sample = [rewards_history[i] for i in indices]
        action_sample = [action_history[i] for i in indices]
        done_sample = tf.convert_to_tensor([float(done_history[i]) for i in indices])

        future_rewards = model_target.predict(state_next_sample, verbose=0)
        updated_q_values = rewards_sample + gamma * tf.reduce_max(future_rewards, axis=1)
        updated_q_values = updated_q_values * (1 - done_sample) - done_sample
        masks = tf.one_hot(action_sample, num_actions)

        with tf.GradientTape() as tape:
            q_values = model(state_sample)
            q_action = tf.reduce_sum(tf.multiply(q_values, masks), axis=1)
            loss = loss_function(updated_q_values, q_action)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))

    if frame_count % update_target_network == 0:
        model_target.set_weights(model.get_weights())

print("loss", losses[0], "->", losses[-1])
changed = [not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables)]
assert all(changed), changed
assert all(np.allclose(a.numpy(), b.numpy()) for a, b in zip(model_target.trainable_variables, model.trainable_variables))
print("ok")
