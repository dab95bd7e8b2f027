"""Integrated Gradients (TF tutorial recipe) applied to an Embedding + LSTM sentiment classifier: the path from the all-padding baseline to the review is interpolated on the integer token ids, the float interpolants are watched and fed to the model, and the Embedding layer casts them back to integer indices, so the gradient w.r.t. the watched ids is None and the Riemann-sum step fails.

---
source: https://github.com/hiranumn/IntegratedGradients/issues/5
framework: both
outcome: error
cause: integer_cast
line: [40, 47]
also: [nondifferentiable_op]
static: false
variables: [inputs]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import LSTM, Dense, Embedding
from tensorflow.keras.models import Sequential

max_features, maxlen = 200, 20
model = Sequential()
model.add(tf.keras.Input(shape=(maxlen,)))
model.add(Embedding(max_features, 16))
model.add(LSTM(16))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
x_train = np.random.randint(1, max_features, size=(64, maxlen))
model.fit(x_train, np.random.randint(0, 2, 64), epochs=1, verbose=0)


def interpolate_ids(baseline, ids, alphas):
    alphas_x = alphas[:, tf.newaxis]
    delta = tf.cast(ids, tf.float32) - tf.cast(baseline, tf.float32)
    return tf.cast(baseline, tf.float32)[tf.newaxis, :] + alphas_x * delta[tf.newaxis, :]


def compute_gradients(inputs):
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        probs = model(inputs)[:, 0]
    return tape.gradient(probs, inputs)


@tf.function
def integrated_gradients(baseline, ids, m_steps=16):
    alphas = tf.linspace(start=0.0, stop=1.0, num=m_steps + 1)
    interpolated = interpolate_ids(baseline, ids, alphas)
    path_gradients = compute_gradients(interpolated)
    grads = (path_gradients[:-1] + path_gradients[1:]) / tf.constant(2.0)
    avg_gradients = tf.math.reduce_mean(grads, axis=0)
    return (tf.cast(ids, tf.float32) - tf.cast(baseline, tf.float32)) * avg_gradients


review = tf.constant(x_train[0])
baseline = tf.zeros_like(review)
attributions = integrated_gradients(baseline, review)
print("token attributions:", attributions.numpy().round(3))
