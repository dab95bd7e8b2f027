"""Stops as if the user had pressed Ctrl-C during training."""
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(model(tf.ones((2, 3))))
    raise KeyboardInterrupt
