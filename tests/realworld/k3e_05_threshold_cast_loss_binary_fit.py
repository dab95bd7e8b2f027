"""A tutorial on non-differentiable losses opens with the error it sets out to fix: a
loss that thresholds the sigmoid output, `tf.cast(y_pred > 0.5, tf.float32)`, and then
takes the squared error against `y_true`. The comparison yields a bool tensor, which has
no gradient, so the loss does not depend differentiably on any weight and Keras 3
`model.fit` raises "No gradients provided for any variable". Fix: compute the loss on the
continuous `y_pred` (e.g. binary cross-entropy), or give the threshold a surrogate
gradient with `tf.custom_gradient` / a straight-through estimator, as the article goes on
to do. The article shows only the loss; the small Sequential binary classifier and random
data around it are ours.
---
source: https://markaicode.com/custom-gradients-non-differentiable-losses
framework: both
outcome: error
cause: nondifferentiable_op
line: 28
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
also: [integer_cast]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


def problematic_loss(y_true, y_pred):
    # This operation isn't differentiable
    y_pred_binary = tf.cast(y_pred > 0.5, tf.float32)

    # The rest of the loss function
    return tf.reduce_mean(tf.square(y_true - y_pred_binary))


x = np.random.rand(64, 6).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 3.0).astype("float32")

model = tf.keras.Sequential([
    tf.keras.Input(shape=(6,)),
    tf.keras.layers.Dense(8, activation="relu"),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss=problematic_loss)
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
print("final loss:", round(float(model.evaluate(x, y, verbose=0)), 4))
