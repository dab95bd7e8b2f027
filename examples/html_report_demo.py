"""A review-score classifier trained with model.fit and a custom loss that counts wrong
predictions through argmax: no gradient reaches any layer.

    gradtrace run --html report.html examples/html_report_demo.py
"""
import numpy as np
import tensorflow as tf


def error_rate(y_true, y_pred):
    predicted = tf.argmax(y_pred, axis=-1)
    wrong = tf.not_equal(predicted, tf.cast(tf.reshape(y_true, [-1]), tf.int64))
    return tf.reduce_mean(tf.cast(wrong, tf.float32))


words = tf.keras.Input((20,), name="words")
embedded = tf.keras.layers.Embedding(500, 16, name="embedding")(words)
pooled = tf.keras.layers.GlobalAveragePooling1D(name="pool")(embedded)
hidden = tf.keras.layers.Dense(16, activation="relu", name="hidden")(pooled)
skip = tf.keras.layers.Add(name="skip")([pooled, hidden])
scores = tf.keras.layers.Dense(5, activation="softmax", name="scores")(skip)
model = tf.keras.Model(words, scores, name="reviews")
model.compile(optimizer="adam", loss=error_rate)

x = np.random.default_rng(0).integers(0, 500, size=(64, 20))
y = np.random.default_rng(1).integers(0, 5, size=(64, 1))
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
