"""MAML meta-learning loop in TF2: the inner step writes the adapted weights (meta weights minus alpha * inner gradient) into a copy of the network with assign(), the query loss is computed with that copy, and the meta-gradient with respect to the meta network is None everywhere, so the outer apply_gradients fails.

---
source: https://github.com/tensorflow/tensorflow/issues/30234
framework: both
outcome: error
cause: variable_assign
line: 42
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras


def make_net(name):
    return keras.Sequential([keras.Input((1,)), keras.layers.Dense(20, activation="relu"),
                             keras.layers.Dense(1)], name=name)


meta_model = make_net("meta")
fast_model = make_net("fast")
meta_optimizer = keras.optimizers.Adam(1e-3)
alpha = 0.01
mse = keras.losses.MeanSquaredError()


def sample_task(k=10):
    amp, phase = np.random.uniform(0.1, 5.0), np.random.uniform(0, np.pi)
    x = np.random.uniform(-5, 5, size=(2 * k, 1)).astype(np.float32)
    y = (amp * np.sin(x + phase)).astype(np.float32)
    return x[:k], y[:k], x[k:], y[k:]


def inner_update(x_support, y_support):
    with tf.GradientTape() as inner_tape:
        support_loss = mse(y_support, meta_model(x_support))
    grads = inner_tape.gradient(support_loss, meta_model.trainable_variables)
    for fast_w, w, g in zip(fast_model.trainable_variables, meta_model.trainable_variables, grads):
        fast_w.assign(w - alpha * g)


def meta_train_step(tasks):
    with tf.GradientTape() as outer_tape:
        meta_loss = 0.0
        for x_s, y_s, x_q, y_q in tasks:
            inner_update(x_s, y_s)
            meta_loss += mse(y_q, fast_model(x_q))
    meta_grads = outer_tape.gradient(meta_loss, meta_model.trainable_variables)
    print("meta grads:", meta_grads)
    meta_optimizer.apply_gradients(zip(meta_grads, meta_model.trainable_variables))
    return meta_loss


for it in range(2):
    print("meta loss", float(meta_train_step([sample_task() for _ in range(3)])))
