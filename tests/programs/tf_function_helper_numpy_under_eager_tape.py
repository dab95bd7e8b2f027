"""A `@tf.function` loss helper, called from an eager tape, clips its input with
`tf.numpy_function`: inside the helper's graph the values go through Python, so
the gradient stops there, out of sight of the eager tape that only records the
helper's call.

---
framework: both
outcome: error
cause: numpy_function
line: 22
variables: [dense]
"""
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2, name="dense")])
optimizer = tf.keras.optimizers.SGD(0.1)


@tf.function
def clipped_loss(y_true, y_pred):
    clipped = tf.numpy_function(lambda a: np.clip(a, -1.0, 1.0), [y_pred], tf.float32)
    return tf.reduce_mean(tf.square(y_true - clipped))


x = tf.random.normal((8, 3))
y = tf.random.normal((8, 2))
with tf.GradientTape() as tape:
    loss = clipped_loss(y, model(x))
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
