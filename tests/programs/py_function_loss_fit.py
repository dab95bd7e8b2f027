"""A regression model trained with model.fit and a log-cosh loss written in
NumPy and wrapped in `tf.numpy_function`. The wrapped function runs fine inside
the compiled train step, but numpy_function has no gradient, so the loss is cut
off from every weight.

---
framework: both
outcome: error
cause: numpy_function
line: 24
variables: [price_hidden, price_out]
"""
import numpy as np
import tensorflow as tf


def _log_cosh_np(y_true, y_pred):
    err = y_pred - y_true
    return (np.abs(err) + np.log1p(np.exp(-2.0 * np.abs(err))) - np.log(2.0)).astype(np.float32)


def log_cosh_loss(y_true, y_pred):
    y_true = tf.cast(y_true, y_pred.dtype)
    per_value = tf.numpy_function(_log_cosh_np, [y_true, y_pred], tf.float32)
    per_value = tf.reshape(per_value, tf.shape(y_pred))
    return tf.reduce_mean(per_value, axis=-1)


model = tf.keras.Sequential(
    [
        tf.keras.Input((7,)),
        tf.keras.layers.Dense(16, activation="relu", name="price_hidden"),
        tf.keras.layers.Dense(2, name="price_out"),
    ],
    name="pricer",
)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss=log_cosh_loss)
x = np.random.rand(96, 7).astype("float32")
y = np.random.rand(96, 2).astype("float32")
history = model.fit(x, y, epochs=2, batch_size=32, verbose=0)
print("losses:", history.history["loss"])
