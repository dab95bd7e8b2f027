"""A WGAN-GP critic step: the gradient penalty asks for d(critic)/d(interpolated)
but the interpolated batch is a plain tensor that no tape watches.

---
framework: both
outcome: error
cause: unwatched_tensor
line: [33, 35]
variables: [interpolated]
"""
import tensorflow as tf

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
GP_WEIGHT = 10.0

for step in range(3):
    real = tf.random.normal((32, 2)) + 3.0
    fake = generator(tf.random.normal((32, 4)), training=False)
    alpha = tf.random.uniform((32, 1))
    interpolated = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        wasserstein = tf.reduce_mean(critic(fake, training=True)) - tf.reduce_mean(critic(real, training=True))
        with tf.GradientTape() as gp_tape:
            interp_score = critic(interpolated, training=True)
        slopes = gp_tape.gradient(interp_score, interpolated)
        norm = tf.sqrt(tf.reduce_sum(tf.square(slopes), axis=1) + 1e-12)
        loss = wasserstein + GP_WEIGHT * tf.reduce_mean(tf.square(norm - 1.0))
    grads = tape.gradient(loss, critic.trainable_variables)
    c_opt.apply_gradients(zip(grads, critic.trainable_variables))
    print(f"step {step}: critic loss {float(loss):.4f}")
