"""A user fine-tuning a (distil)BERT encoder to predict the order of items
wrote a rank-distance loss: pad positions in y_true are replaced with max_val,
then `actual_orders = tf.argsort(tf.argsort(y_true))`,
`predicted_orders = tf.argsort(tf.argsort(y_pred))` and the loss is
`tf.reduce_sum(tf.abs(actual_orders - predicted_orders))`. `model.fit` fails
with "No gradients provided for any variable"; replacing the loss with 'mse'
works. Cause: `tf.argsort` returns integer indices and has no gradient, so the
loss is a piecewise-constant integer function of y_pred and nothing connects
it to the weights. Fix: use a differentiable surrogate (e.g. MSE on the target
positions, or a soft-rank/pairwise ranking loss). The HF encoder is replaced by
a tiny Embedding encoder with the same inputs/outputs.
---
source: https://github.com/tensorflow/tensorflow/issues/56396
framework: both
outcome: error
cause: nondifferentiable_op
line: 40
variables: [embeddings, encoder_dense, head_dense, order_out]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import Model
from tensorflow.keras.layers import Dense, Dropout, Input, Embedding, GlobalAveragePooling1D
tf.keras.utils.set_random_seed(0)

MAX_LEN, N_ITEMS, VOCAB = 16, 6, 200
PAD = -1.0


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
    attention_mask = Input(shape=(MAX_LEN,), dtype="int32", name="attention_mask")
    # stand-in for TFAutoModel.from_pretrained('distilbert-base-uncased')
    hidden = Embedding(VOCAB, 32, name="embeddings")(input_ids)
    hidden = Dense(32, activation="gelu", name="encoder_dense")(hidden)
    pooled = GlobalAveragePooling1D()(hidden)
    x = Dropout(0.1)(pooled)
    x = Dense(32, activation="relu", name="head_dense")(x)
    output = Dense(N_ITEMS, name="order_out")(x)
    return Model([input_ids, attention_mask], output)


n = 32
ids = np.random.randint(1, VOCAB, (n, MAX_LEN)).astype("int32")
mask = np.ones_like(ids)
orders = np.stack([np.random.permutation(N_ITEMS) for _ in range(n)]).astype("float32")
orders[: n // 2, -1] = PAD   # some samples have fewer items

model = create_model()
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss=calculate_loss(PAD, float(N_ITEMS)))
print("training ...")
model.fit([ids, mask], orders, epochs=1, batch_size=16, verbose=0)
