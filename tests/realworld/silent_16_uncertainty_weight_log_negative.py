"""Shared-bottom multi-task model trained with uncertainty weighting (Kendall et al.): each task loss is divided by 2*w**2 and log(w) is added, with w a plain trainable weight; the optimizer pushes the weight of the easy task below zero, tf.math.log of a negative value is NaN and the loss and every gradient become NaN.

---
source: https://github.com/QunBB/DeepLearning/issues/1
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: [34, 27]
variables: [uncertainty_weight_0, uncertainty_weight_1, shared_bottom, tower_ctr, tower_watch]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
tf.keras.utils.set_random_seed(0)

def shared_bottom_model(num_features):
    inputs = keras.Input((num_features,))
    bottom = keras.layers.Dense(32, activation="relu", name="shared_bottom")(inputs)
    ctr = keras.layers.Dense(1, activation="sigmoid", name="tower_ctr")(bottom)
    watch = keras.layers.Dense(1, name="tower_watch")(bottom)
    return keras.Model(inputs, [ctr, watch])


loss_n = 2
uncertainty_weight = [tf.Variable(1.0, name="uncertainty_weight_" + str(i)) for i in range(loss_n)]


def uncertainty_to_weigh_losses(loss_list):
    final_loss = []
    for i in range(loss_n):
        final_loss.append(tf.math.divide(loss_list[i], 2 * tf.square(uncertainty_weight[i]))
                          + tf.math.log(uncertainty_weight[i]))
    return tf.add_n(final_loss)


model = shared_bottom_model(8)
variables = model.trainable_variables + uncertainty_weight
optimizer = keras.optimizers.SGD(learning_rate=0.1)
rng = np.random.default_rng(0)
x = rng.random((128, 8)).astype("float32")
y_ctr = (x[:, :1] > 0.5).astype("float32")
y_watch = (0.1 * x[:, 1:2]).astype("float32")  # nearly constant target: an easy task


@tf.function
def train_step(x, y_ctr, y_watch):
    with tf.GradientTape() as tape:
        ctr, watch = model(x, training=True)
        loss_ctr = tf.reduce_mean(keras.losses.binary_crossentropy(y_ctr, ctr))
        loss_watch = tf.reduce_mean(tf.square(y_watch - watch))
        loss = uncertainty_to_weigh_losses([loss_ctr, loss_watch])
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables))
    return loss


for step in range(60):
    loss = train_step(x, y_ctr, y_watch)
    if step % 5 == 0 or not np.isfinite(loss.numpy()):
        print("step", step, "loss", float(loss), "weights", [float(w.numpy()) for w in uncertainty_weight])
    if not np.isfinite(loss.numpy()):
        break
