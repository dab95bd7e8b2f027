"""Healthy: a WGAN-GP critic step with the gradient penalty done right: the
interpolated batch is watched by an inner tape nested in the outer one.

---
framework: both
outcome: trains_fine
cause: none
"""
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared

generator = tf.keras.Sequential(
    [tf.keras.Input((4,)), tf.keras.layers.Dense(16, activation="relu", name="g_hidden"),
     tf.keras.layers.Dense(2, name="g_out")],
    name="generator",
)
critic = tf.keras.Sequential(
    [tf.keras.Input((2,)), tf.keras.layers.Dense(16, activation="relu", name="c_hidden"),
     tf.keras.layers.Dense(1, name="c_out")],
    name="critic",
)
c_opt = tf.keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9)


@tf.function
def critic_step(real):
    fake = generator(tf.random.normal((tf.shape(real)[0], 4)), training=False)
    alpha = tf.random.uniform((tf.shape(real)[0], 1))
    interpolated = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        with tf.GradientTape() as gp_tape:
            gp_tape.watch(interpolated)
            interp_score = critic(interpolated, training=True)
        slopes = gp_tape.gradient(interp_score, interpolated)
        penalty = tf.reduce_mean(tf.square(tf.norm(slopes, axis=1) - 1.0))
        wasserstein = tf.reduce_mean(critic(fake, training=True)) - tf.reduce_mean(critic(real, training=True))
        loss = wasserstein + 10.0 * penalty
    grads = tape.gradient(loss, critic.trainable_variables)
    c_opt.apply_gradients(zip(grads, critic.trainable_variables))
    return loss, penalty


for step in range(3):
    loss, penalty = critic_step(tf.random.normal((32, 2)) + 3.0)
    print(f"step {step}: critic loss {float(loss):.4f}, penalty {float(penalty):.4f}")
