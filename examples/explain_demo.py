"""gradtrace.explain() around a training step: the error carries its diagnosis."""
import numpy as np
import tensorflow as tf

import gradtrace

tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1, name="score")],
                            name="ranker")
optimizer = tf.keras.optimizers.SGD(0.1)
x, y = np.random.rand(8, 4).astype("float32"), np.random.rand(8, 1).astype("float32")


@gradtrace.explain()
def train_step(x, y):
    with tf.GradientTape() as tape:
        ranks = tf.argsort(tf.argsort(model(x, training=True), axis=0), axis=0)
        loss = tf.reduce_mean(tf.square(tf.cast(ranks, tf.float32) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))


train_step(x, y)
