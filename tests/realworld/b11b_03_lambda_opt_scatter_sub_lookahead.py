"""Porting lambda-opt (learning per-row regularisation strengths for a
matrix-factorisation recommender) the user needed the one-step look-ahead
theta' = theta - lr * (grad + 2 * lambda * theta) for the rows in the batch, and
then the gradient of the validation loss at theta' with respect to lambda. They
built theta' with scatter_sub on the embedding variable (here
`emb_matrix.scatter_sub(tf.IndexedSlices(...))`) and looked the next embedding up
from its result. The gradient with respect to the lambda matrix came back None:
scatter_sub is a stateful write into the variable (ResourceScatterSub has no
gradient), so the looked-up value only depends on the variable's new state, not
on the delta that was written. The fix is to build theta' functionally, e.g.
`tf.tensor_scatter_nd_sub(emb_matrix, idx, delta)` or `cur_emb - delta`, and not
to write it into the variable.
---
source: https://github.com/yihong-chen/lambda-opt/issues/4
framework: both
outcome: gradient_none
cause: variable_assign
line: 52
variables: [docid_lambda]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

NUM_DOCS, DIM, LR = 10, 3, 0.1
w = tf.constant([[1.0], [2.0], [3.0]], dtype=tf.float32)     # fixed user factor
y = tf.constant([5.0], dtype=tf.float32)

# theta: the embedding matrix for doc ids, and lambda: one l2 strength per entry
emb_matrix = tf.Variable(tf.random.normal((NUM_DOCS, DIM)), name="embedding_name")
doc_lambda = tf.Variable(tf.random.uniform((NUM_DOCS, DIM), 0.0, 0.1), name="docid_lambda")
lambda_opt = tf.keras.optimizers.SGD(0.01)


def train_loss(cur_emb):
    pred = tf.matmul(cur_emb, w)
    return tf.reduce_mean(tf.square(pred - y))


def lambda_step(doc_ids):
    with tf.GradientTape() as tape:
        # plain gradient of the training loss w.r.t. theta rows (no regulariser)
        with tf.GradientTape() as inner:
            cur_emb = tf.nn.embedding_lookup(emb_matrix, doc_ids)
            loss = train_loss(cur_emb)
        theta_grad_no_reg = inner.gradient(loss, emb_matrix)   # IndexedSlices
        cur_lambda = tf.nn.embedding_lookup(doc_lambda, doc_ids)
        cur_theta = tf.nn.embedding_lookup(emb_matrix, doc_ids)
        delta = theta_grad_no_reg.values * LR + 2 * LR * cur_lambda * cur_theta
        # theta(t+1) = theta(t) - lr * (grad + 2 * lambda * theta)
        next_emb_matrix = emb_matrix.scatter_sub(tf.IndexedSlices(delta, doc_ids))
        # validation loss at the look-ahead parameters
        next_cur_emb = tf.nn.embedding_lookup(next_emb_matrix, doc_ids)
        val_loss = train_loss(next_cur_emb)
    lambda_grad = tape.gradient(val_loss, doc_lambda)
    return val_loss, lambda_grad


for it in range(3):
    doc_ids = tf.constant([it % NUM_DOCS])
    val_loss, lambda_grad = lambda_step(doc_ids)
    print(f"iter {it} val_loss {float(val_loss):.4f} grad wrt docid_lambda: {lambda_grad}")
    if lambda_grad is not None:
        lambda_opt.apply_gradients([(lambda_grad, doc_lambda)])
