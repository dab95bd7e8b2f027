"""Sentence-similarity model whose cosine is written straight from the formula, with the norms
taken as tf.sqrt(tf.reduce_sum(tf.square(x))) and 1e-9 added to the denominator to avoid a
division by zero. The forward value is fine, but a nearly empty sentence (tf-idf weights
around 1e-25) gives an embedding whose squares underflow to 0, and the derivative of sqrt at
0 is infinite ("tf.sqrt(x) will raise a nan value if the value of x is very small"):
inf/NaN flows back into the encoder, the first update turns the weights into NaN and the
loss is NaN from then on.
The post's fix: tf.nn.l2_normalize both vectors (it clamps the squared norm) and
clip the cosine to [-1, 1], instead of tf.sqrt.
---
source: https://www.tutorialexample.com/tensorflow-calculate-cosine-distance-without-nan-error-tensorflow-tutorial/
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: [31, 32]
variables: [dense/kernel, dense/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


encoder = tf.keras.Sequential([
    tf.keras.Input(shape=(12,)),
    tf.keras.layers.Dense(8, activation="relu"),
])

def cosine(xx, yy):
        x_norm = tf.sqrt(tf.reduce_sum(tf.square(xx), axis=1))
        y_norm = tf.sqrt(tf.reduce_sum(tf.square(yy), axis=1))
        z = tf.reduce_sum(xx*yy,axis=1)
        m = x_norm * y_norm + 1e-9
        cosine = z / m
        return cosine

# tf-idf vectors for sentence pairs; the last left sentence is nearly empty
x = np.abs(np.random.normal(size=(16, 12))).astype("float32")
y = np.abs(np.random.normal(size=(16, 12))).astype("float32")
x[-1] *= 1e-25
label = np.random.randint(0, 2, size=(16,)).astype("float32")

optimizer = tf.keras.optimizers.Adam(1e-2)
for step in range(3):
    with tf.GradientTape() as tape:
        sim = cosine(encoder(x), encoder(y))
        loss = tf.reduce_mean(tf.square(sim - label))
    grads = tape.gradient(loss, encoder.trainable_variables)
    print("step", step, "loss", float(loss),
          "finite grads:", [bool(tf.reduce_all(tf.math.is_finite(g))) for g in grads])
    optimizer.apply_gradients(zip(grads, encoder.trainable_variables))
