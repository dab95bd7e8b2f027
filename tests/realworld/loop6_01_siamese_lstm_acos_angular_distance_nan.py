"""Siamese LSTM trained to output the angular distance between two string encodings
(Keras BinaryCrossentropy loss gives NaN for angular distance between two vectors).
The shared LSTM feeds a normalized Dot layer (cosine similarity) and then tf.math.acos.
For identical or near-identical pairs the cosine is 1 (or rounds a hair above 1), where
acos has an infinite derivative (or is NaN), so the gradient reaching the LSTM is NaN
and after the first update every weight and the loss are NaN. Clip the cosine to
[-1 + eps, 1 - eps] before acos (or train on the cosine itself).
---
source: https://whosebug.com/question/4715380/Keras-BinaryCrossentropy-loss-gives-NaN-for-angular-distance-between-two-vectors
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 35
variables: [lstm]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import math
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
np.random.seed(0)

# inputs are unicode encoded int arrays from strings
# similar string should yield low angular distance
left_input = tf.keras.layers.Input(shape=[None, 1], dtype='float32')
right_input = tf.keras.layers.Input(shape=[None, 1], dtype='float32')
lstm = tf.keras.layers.LSTM(10)
left_embedding = lstm(left_input)
right_embedding = lstm(right_input)
# cosine_layer is the operation to get cosine similarity
cosine_layer = tf.keras.layers.Dot(axes=1, normalize=True)
cosine_similarity = cosine_layer([left_embedding, right_embedding])
# next two lines calculate angular distance but with inversed labels
arccos = tf.keras.layers.Lambda(lambda c: tf.math.acos(c))(cosine_similarity)
angular_distance = tf.keras.layers.Lambda(lambda a: a / math.pi)(arccos)  # not 1. - (arccos / math.pi)
model = tf.keras.Model([left_input, right_input], [angular_distance])
model.compile(loss='binary_crossentropy', optimizer='sgd')

# unicode code points of short strings; half of the pairs are the same string
words = ["hello", "help", "world", "word", "tensor", "tensile", "keras", "kernel"]
def encode(w, n=8):
    a = np.zeros((n, 1), dtype="float32")
    a[:len(w), 0] = [ord(c) / 128.0 for c in w]
    return a
left, right, labels = [], [], []
for i in range(64):
    a = words[i % len(words)]
    same = i % 2 == 0
    b = a if same else words[(i + 3) % len(words)]
    left.append(encode(a)); right.append(encode(b)); labels.append(0.0 if same else 1.0)
left, right = np.stack(left), np.stack(right)
labels = np.array(labels, dtype="float32").reshape(-1, 1)

history = model.fit([left, right], labels, epochs=2, batch_size=16, verbose=0)
print("losses:", [round(float(l), 4) for l in history.history["loss"]])
print("lstm kernel finite:", bool(np.all(np.isfinite(lstm.get_weights()[0]))))
