"""A user trained a small regression model with the score-function (REINFORCE) estimator: the
network outputs the mean `mu` of a Normal(mu, 1.), a value is drawn with `q.sample()`, scored by a
reward, and the surrogate loss is -log q(sample) * reward. The gradient with respect to the mean was
always exactly 0 and the model never moved ("Gradient is incorrect for log pdf of Normal
distribution"). The cause, explained in the thread: Normal.sample() is reparameterized
(z = mu + sigma * eps), so the sample itself depends on mu; log q(z) = -(sigma*eps)^2 / 2 + const
then does not depend on mu at all and its derivative is exactly zero. For a score function the
sample must be treated as data: `q.log_prob(tf.stop_gradient(z))`. The report (TF 0.12) showed a
scalar `mu` variable and `q.log_pdf(q.sample())`; here `log_pdf` is the TF2 name `log_prob` and the
small Keras model producing `mu` stands in for the user's regression model.
---
source: https://github.com/tensorflow/tensorflow/issues/7236
framework: both
outcome: trains_silently
cause: zero_gradient
line: [47, 48]
variables: [hidden, mu_head]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

dist = tf.compat.v1.distributions

x_train = np.random.randn(256, 3).astype("float32")
y_train = (x_train @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")).ravel()

model = tf.keras.Sequential([
    tf.keras.Input(shape=(3,)),
    tf.keras.layers.Dense(16, activation="tanh", name="hidden"),
    tf.keras.layers.Dense(1, name="mu_head"),
])
optimizer = tf.keras.optimizers.Adam(1e-2)


def reward_fn(z, y):
    return -tf.square(z - y)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        mu = tf.squeeze(model(x), axis=-1)
        q = dist.Normal(mu, 1.)
        z = q.sample()
        log_q = q.log_prob(z)
        reward = tf.stop_gradient(reward_fn(z, y))
        loss = -tf.reduce_mean(log_q * (reward - tf.reduce_mean(reward)))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return tf.reduce_mean(tf.square(mu - y))


ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(64)
for epoch in range(5):
    for xb, yb in ds:
        mse = train_step(xb, yb)
    print("epoch", epoch, "mse of mu", float(mse))
