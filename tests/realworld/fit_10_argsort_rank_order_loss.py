"""Ordering model (a text encoder followed by Dense heads; here a small Embedding encoder instead of the
DistilBERT backbone) compiled with a closure loss that compares rank orders: tf.argsort(tf.argsort(...))
of y_true and of y_pred. Argsort returns integer indices, so model.fit gets no gradient for any weight.

---
source: https://github.com/tensorflow/tensorflow/issues/56396
framework: both
outcome: error
cause: nondifferentiable_op
line: 31
also: [integer_cast]
variables: [embedding/embeddings, dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import Model
from tensorflow.keras.layers import Dense, Dropout, Input, Embedding, GlobalAveragePooling1D


def calculate_loss(pad_val, max_val):
    def loss(y_true, y_pred):
        pad_indices = tf.where(y_true == pad_val)
        y_true = tf.tensor_scatter_nd_update(
            y_true,
            pad_indices,
            tf.ones(tf.shape(pad_indices)[0], y_true.dtype) * max_val,
        )
        actual_orders = tf.argsort(tf.argsort(y_true))
        predicted_orders = tf.argsort(tf.argsort(y_pred))
        return tf.reduce_sum(tf.abs(actual_orders - predicted_orders))

    return loss  # change this with 'mse' and the error is gone


max_len, vocab, n_items = 16, 100, 8
input_ids = Input(shape=(max_len,), dtype="int32")
x = Embedding(vocab, 32)(input_ids)          # stands in for TFAutoModel("distilbert-base-uncased")
x = GlobalAveragePooling1D()(x)
x = Dense(64, activation="relu")(x)
x = Dropout(0.1)(x)
out = Dense(n_items)(x)
model = Model(input_ids, out)
model.compile(optimizer="adam", loss=calculate_loss(pad_val=-1.0, max_val=float(n_items)))

X = np.random.randint(1, vocab, (32, max_len)).astype("int32")
y = np.stack([np.random.permutation(n_items) for _ in range(32)]).astype("float32")
y[:, -2:] = -1.0  # padded positions
model.fit(X, y, batch_size=8, epochs=1, verbose=0)
print("fit done")
