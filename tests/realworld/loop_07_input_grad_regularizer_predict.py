"""Input-gradient regularised loss: the loss wrapper opens an inner tape on the input batch and re-runs the model being trained with model.predict() to get d(cross-entropy)/d(input); predict returns NumPy, the input gradient is None and tf.norm(None) fails inside the training step.

---
source: https://github.com/tensorflow/tensorflow/issues/38119
framework: both
outcome: error
cause: predict_in_tape
line: 22
variables: [X_tensor]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense, Flatten


def keras_loss(y_true, y_pred, X, lambda_, model):
    X_tensor = tf.convert_to_tensor(X)
    with tf.GradientTape() as inp_tape:
        inp_tape.watch(X_tensor)
        pred = model.predict(X_tensor, batch_size=None, steps=None, verbose=0)
        inp_grad_reg_loss = tf.keras.losses.categorical_crossentropy(y_true, pred)
    inpgrad = inp_tape.gradient(inp_grad_reg_loss, X_tensor)
    return tf.reduce_mean(tf.keras.losses.categorical_crossentropy(y_true, y_pred)) + lambda_ * tf.norm(inpgrad)


def loss_wrapper(X, lambda_, model):
    def custom_loss(y_true, y_pred):
        return keras_loss(y_true, y_pred, X, lambda_, model)
    return custom_loss


model2 = tf.keras.Sequential([tf.keras.Input((6, 10, 1)), Flatten(),
                              Dense(16, activation="relu"),
                              Dense(5, activation="softmax")])
optimizer = tf.keras.optimizers.Adam()

x_batch = np.random.rand(8, 6, 10, 1).astype(np.float32)
y_batch = tf.one_hot(np.random.randint(0, 5, size=8), 5)

modloss = loss_wrapper(x_batch, 0.1, model2)
with tf.GradientTape() as tape:
    y_pred = model2(x_batch, training=True)
    loss = modloss(y_batch, y_pred)
grads = tape.gradient(loss, model2.trainable_variables)
optimizer.apply_gradients(zip(grads, model2.trainable_variables))
print("loss", float(loss))
