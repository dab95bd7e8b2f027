"""Multi-target regressor trained with a Spearman-correlation loss (tensorflow#35713). For
every target column the custom loss slices y_true / y_pred and ranks them with
`tf.numpy_function(scipy.stats.rankdata, ...)`, then applies the rank-difference formula
rho = 1 - 6 * sum(d**2) / (n**3 - n) and returns -sum(rho). Keras traces the loss inside its
train function; the numpy_function op has no gradient, and the ranks are piecewise constant
anyway, so the loss is disconnected from every weight of the model and fit raises "No
gradients provided for any variable". A differentiable surrogate (soft ranks, or Pearson
correlation on the raw predictions) is needed. scipy.stats.rankdata is replaced by a NumPy
function with the same output, since scipy is not installed here.
---
source: https://github.com/tensorflow/tensorflow/issues/35713
framework: both
outcome: error
cause: numpy_function
also: [nondifferentiable_op]
line: 41
variables: [dense]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras


def rankdata(a):
    # stand-in for scipy.stats.rankdata (scipy is not installed here); same float64 ranks
    return (np.argsort(np.argsort(a)) + 1).astype(np.float64)


tf.keras.utils.set_random_seed(0)
BATCH_SIZE = 4
NUM_TARGETS = 3


def custom_loss(num_targets):
    def custom_rhos(y_true, y_pred):
        rhos = []
        for ind in range(num_targets):
            a = tf.squeeze(tf.slice(y_true, [0, ind], [-1, 1]))
            b = tf.squeeze(tf.slice(y_pred, [0, ind], [-1, 1]))
            rank_a, rank_b = tf.numpy_function(rankdata, [a], Tout=tf.float64), tf.numpy_function(rankdata, [b], Tout=tf.float64)
            rank_a, rank_b = tf.cast(rank_a, tf.float32), tf.cast(rank_b, tf.float32)
            rho = 1 - 6 * tf.reduce_sum((rank_a - rank_b) ** 2) / (BATCH_SIZE ** 3 - BATCH_SIZE)
            rhos.append(rho)
        return -tf.reduce_sum(rhos)
    return custom_rhos


model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(NUM_TARGETS),
])
model.compile(optimizer="adam", loss=custom_loss(NUM_TARGETS))

x = np.random.normal(size=(16, 8)).astype("float32")
y = np.random.normal(size=(16, NUM_TARGETS)).astype("float32")
model.fit(x, y, batch_size=BATCH_SIZE, epochs=1, verbose=0)
print("trained")
