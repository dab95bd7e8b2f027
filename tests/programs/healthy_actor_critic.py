"""Healthy: a one-step actor-critic update. Actions are sampled with
tf.random.categorical but only used as indices into the log-probabilities, and
the advantage is held constant with stop_gradient for the actor loss.

---
framework: both
outcome: trains_fine
cause: none
"""
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared

N_OBS, N_ACTIONS = 4, 3
obs_in = tf.keras.Input((N_OBS,), name="obs")
hidden = tf.keras.layers.Dense(32, activation="relu", name="shared")(obs_in)
policy_logits = tf.keras.layers.Dense(N_ACTIONS, name="actor")(hidden)
value = tf.keras.layers.Dense(1, name="critic")(hidden)
model = tf.keras.Model(obs_in, [policy_logits, value], name="actor_critic")
optimizer = tf.keras.optimizers.Adam(1e-3)

for step in range(3):
    obs = tf.random.normal((32, N_OBS))
    with tf.GradientTape() as tape:
        logits, values = model(obs, training=True)
        values = tf.squeeze(values, axis=1)
        actions = tf.random.categorical(logits, 1)[:, 0]
        rewards = tf.where(actions == 1, 1.0, 0.0) + 0.1 * tf.random.normal((32,))
        advantage = rewards - values
        log_probs = tf.nn.log_softmax(logits)
        chosen = tf.gather(log_probs, actions, axis=1, batch_dims=1)
        actor_loss = -tf.reduce_mean(chosen * tf.stop_gradient(advantage))
        critic_loss = tf.reduce_mean(tf.square(advantage))
        entropy = -tf.reduce_mean(tf.reduce_sum(tf.exp(log_probs) * log_probs, axis=1))
        loss = actor_loss + 0.5 * critic_loss - 0.01 * entropy
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None for g in grads)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"step {step}: loss {float(loss):.4f}")
