"""The user fine-tunes a (DistilBERT-based) token model whose head outputs one
score per position and wants to train it to reproduce an ordering. Their custom
loss (built by a `calculate_loss(pad_val, max_val)` factory) replaces padded
targets with `max_val`, turns both targets and predictions into ranks with
`tf.argsort(tf.argsort(...))`, and returns the summed absolute rank
difference. `model.fit` fails with "ValueError: No gradients provided for any
variable"; replacing the loss by 'mse' makes it train. Root cause: argsort
returns integer indices and has no gradient, so the rank of `y_pred` is
disconnected from the weights (the loss is a step function of the scores).
A differentiable surrogate (e.g. a pairwise/soft ranking loss on the raw
scores) is needed. The transformer backbone is replaced here by a small
Embedding + Dense stack with the user's names and the same loss.
---
source: https://github.com/keras-team/keras/issues/16663
framework: both
outcome: error
cause: nondifferentiable_op
line: 41
variables: [embedding/embeddings, hidden/kernel, scores/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Dense, Dropout, Input, Embedding, Reshape

tf.keras.utils.set_random_seed(0)

MAX_LEN, VOCAB = 12, 50


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


def create_model():
    input_ids = Input(shape=(MAX_LEN,), dtype="int32", name="input_ids")
    x = Embedding(VOCAB, 16, name="embedding")(input_ids)
    x = Dense(16, activation="relu", name="hidden")(x)
    x = Dropout(0.1, name="dropout")(x)
    x = Dense(1, name="scores")(x)
    out = Reshape((MAX_LEN,), name="order")(x)
    model = keras.Model(input_ids, out)
    model.compile(optimizer="adam", loss=calculate_loss(pad_val=-1.0, max_val=float(MAX_LEN)))
    return model


x = np.random.randint(1, VOCAB, size=(32, MAX_LEN)).astype("int32")
y = np.tile(np.arange(MAX_LEN, dtype="float32"), (32, 1))
for row in y:
    np.random.shuffle(row)
y[:, -3:] = -1.0  # padding
model = create_model()
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
