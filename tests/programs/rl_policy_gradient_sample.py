"""A contextual-bandit policy trained REINFORCE-style, but the loss is the payoff
of the sampled actions themselves instead of log-probabilities weighted by it.

---
framework: both
outcome: error
cause: nondifferentiable_op
line: 30
variables: [policy_hidden, policy_logits]
"""
import tensorflow as tf

N_STATES, N_ACTIONS = 6, 4
policy = tf.keras.Sequential(
    [
        tf.keras.Input((N_STATES,)),
        tf.keras.layers.Dense(32, activation="tanh", name="policy_hidden"),
        tf.keras.layers.Dense(N_ACTIONS, name="policy_logits"),
    ],
    name="policy",
)
optimizer = tf.keras.optimizers.Adam(1e-2)
payoff = tf.random.normal((N_STATES, N_ACTIONS))

for episode in range(3):
    states = tf.one_hot(tf.random.uniform((32,), 0, N_STATES, dtype=tf.int32), N_STATES)
    with tf.GradientTape() as tape:
        logits = policy(states, training=True)
        # Act by sampling from the policy.
        actions = tf.random.categorical(logits, num_samples=1)[:, 0]
        rewards = tf.reduce_sum(tf.matmul(states, payoff) * tf.one_hot(actions, N_ACTIONS), axis=1)
        # Maximise the reward collected by the sampled actions.
        loss = -tf.reduce_mean(rewards)
    grads = tape.gradient(loss, policy.trainable_variables)
    optimizer.apply_gradients(zip(grads, policy.trainable_variables))
    print(f"episode {episode}: mean reward {float(-loss):.3f}")
