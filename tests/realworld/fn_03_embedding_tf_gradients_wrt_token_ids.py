"""Question-answering encoder from keras-team/keras#12270: an Embedding over a tiny vocabulary,
an LSTM returning sequences and a time-distributed softmax. The user asks `tf.gradients` for
the derivative of the RNN output with respect to the question itself
(`xs=input_questions`), to see whether gradients "pass through" the Embedding. Ported to TF2,
the graph is built inside a tf.function (tf.gradients only works in a graph). The question
arrives as float token ids (like the float32 default of keras.Input); Embedding casts them to
int32 before the lookup, and integer tensors carry no gradient, so every gradient with
respect to `input_questions` is [None], while the gradient with respect to the embedded
vectors `embed` exists. The source to differentiate is `embed`, not the token ids.
---
source: https://github.com/keras-team/keras/issues/12270
framework: both
outcome: gradient_none
cause: integer_cast
also: [nondifferentiable_op]
line: [35, 41]
variables: [input_questions]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Embedding, LSTM, TimeDistributed, Activation

tf.keras.utils.set_random_seed(0)

vocabSize = 3
embDim = 5
rnn = LSTM(vocabSize, return_sequences=True)
embedding = Embedding(vocabSize, embDim)
time_softmax = TimeDistributed(Activation('softmax'))


@tf.function
def check_gradients(input_questions):
    embed = embedding(input_questions)
    rnn_output = rnn(embed)
    softmax = time_softmax(rnn_output)

    # these gradients don't work, FIXME!
    grads = {}
    grads['xs=input_questions, ys=rnn_output'] = tf.gradients(xs=input_questions, ys=rnn_output)
    grads['xs=input_questions, ys=embed'] = tf.gradients(xs=input_questions, ys=embed)
    grads['xs=input_questions, ys=softmax'] = tf.gradients(xs=input_questions, ys=softmax)
    grads['xs=embed, ys=softmax'] = tf.gradients(xs=embed, ys=softmax)
    return grads


question = tf.constant(np.random.randint(0, vocabSize, size=(2, 4)), dtype=tf.float32)
for name, g in check_gradients(question).items():
    print('grad (%s):' % name, [None if t is None else t.shape for t in g])
