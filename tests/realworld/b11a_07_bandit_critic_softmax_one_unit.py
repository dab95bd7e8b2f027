"""A Stack Overflow user trained actor-critic agents on a two-armed bandit
(bandit A pays more than B), one actor and one critic per simulation created
in a loop with `vars()[f'actor_{n}']`, and updated both with GradientTape
loops (a slow per-sample loop and a vectorised variant) that behaved
differently. Whatever the loop, the critic can never learn: it is
`Dense(1, activation='softmax')`, and a softmax over a single unit is the
constant 1.0, so V(s) = 1 for every state and every critic gradient is
exactly zero (its weights never move; only the actor learns, from a
baseline stuck at 1). Running the code shows the critic's gradients are all
zeros (Keras 3 additionally warns that a softmax over an axis of size 1
always returns 1; tf-keras says nothing). Fix: use a linear (or at least
non-softmax) activation for the one-unit value head.
---
source: https://jtuto.com/why-does-gradienttape-behave-differently-when-watching-loop-operations-as-opposed-to-array-operations/
framework: both
outcome: trains_silently
cause: zero_gradient
line: 38
variables: [critic_dense_0/kernel, critic_dense_0/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras import Model
from tensorflow.keras.optimizers import Adam

n_sims = 2  # number of simulations
for n in range(n_sims):
    # define actors and optimizers for each simulation
    actor_input = Input(shape=(2,))
    actor_output = Dense(2, activation='softmax', name=f'actor_dense_{n}')(actor_input)
    vars()[f'actor_{n}'] = Model(inputs=actor_input, outputs=actor_output)
    vars()[f'actor_opt_{n}'] = Adam(learning_rate=.1)
    # define critics and optimizers for each simulation
    critic_input = Input(shape=(2,))
    critic_output = Dense(1, activation='softmax', name=f'critic_dense_{n}')(critic_input)
    vars()[f'critic_{n}'] = Model(inputs=critic_input, outputs=critic_output)
    vars()[f'critic_opt_{n}'] = Adam(learning_rate=.1)
    vars()[f'mean_rewards_{n}'] = []  # list to store rewards over training epochs for each simulation

A = np.random.normal(loc=10, scale=15, size=int(1e4)).astype('float32')  # bandit A
B = np.random.normal(loc=0, scale=1, size=int(1e4)).astype('float32')    # bandit B
n_training_epochs = 20
n_samples = 20

for n in range(n_sims):
    actor, critic = vars()[f'actor_{n}'], vars()[f'critic_{n}']
    actor_opt, critic_opt = vars()[f'actor_opt_{n}'], vars()[f'critic_opt_{n}']
    critic_before = [w.copy() for w in critic.get_weights()]
    for epoch in range(n_training_epochs):
        with tf.GradientTape() as actor_tape, tf.GradientTape() as critic_tape:
            actor_loss, critic_loss, rewards = 0., 0., []
            for i in range(n_samples):
                idx = np.random.randint(len(A))
                state = np.array([[A[idx], B[idx]]], dtype='float32')
                probs = actor(state)
                action = np.random.choice(2, p=probs.numpy()[0] / probs.numpy()[0].sum())
                reward = 1. if action == 0 else 0.
                value = critic(state)[0, 0]
                advantage = reward - value
                actor_loss += -tf.math.log(probs[0, action] + 1e-8) * tf.stop_gradient(advantage)
                critic_loss += advantage ** 2
                rewards.append(reward)
            actor_loss /= n_samples
            critic_loss /= n_samples
        actor_grads = actor_tape.gradient(actor_loss, actor.trainable_variables)
        critic_grads = critic_tape.gradient(critic_loss, critic.trainable_variables)
        actor_opt.apply_gradients(zip(actor_grads, actor.trainable_variables))
        critic_opt.apply_gradients(zip(critic_grads, critic.trainable_variables))
        vars()[f'mean_rewards_{n}'].append(np.mean(rewards))
    print(f"sim {n}: critic |grad| =", [float(tf.reduce_sum(tf.abs(g))) for g in critic_grads],
          " critic weights changed:",
          any(not np.allclose(a, b) for a, b in zip(critic_before, critic.get_weights())),
          " V(s) =", float(critic(np.array([[5., 0.]], dtype='float32'))[0, 0]))
