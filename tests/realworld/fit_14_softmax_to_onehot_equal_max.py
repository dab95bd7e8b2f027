"""Caption generator: LSTM -> TimeDistributed softmax over words, ending in a Lambda layer that turns the
softmax into a one-hot vector by comparing it with its own max (K.equal(t, K.max(t)) cast to float);
train_on_batch fails because the comparison has no gradient, so nothing before it can learn.

---
source: https://github.com/keras-team/keras/issues/5537
framework: both
outcome: error
cause: nondifferentiable_op
line: 26
also: [integer_cast]
variables: [lstm, time_distributed]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import LSTM, Dropout, TimeDistributed, Dense, Lambda

MAX_SEQUENCE_LENGTH, NOISE_SIZE, NB_WORDS, BATCH_SIZE = 8, 16, 30, 4


def softmax_to_onehot(t):
    k_max = K.max(t, keepdims=True, axis=2)
    equal = K.equal(t, k_max)
    return K.cast(equal, 'float32')


def output_shape_lambda(input_shape):
    return input_shape


def model():
    model = Sequential()
    model.add(LSTM(64, input_shape=(MAX_SEQUENCE_LENGTH, NOISE_SIZE), return_sequences=True))
    model.add(Dropout(0.2))
    model.add(TimeDistributed(Dense(NB_WORDS, activation="softmax")))
    model.add(Lambda(softmax_to_onehot, output_shape=output_shape_lambda))
    return model


generator = model()
generator.compile(loss="categorical_crossentropy", optimizer="adam")
g_input_noise_batch = np.random.uniform(-1, 1, (BATCH_SIZE, MAX_SEQUENCE_LENGTH, NOISE_SIZE)).astype("float32")
words = np.random.randint(0, NB_WORDS, (BATCH_SIZE, MAX_SEQUENCE_LENGTH))
one_hot_caption_batch = np.eye(NB_WORDS, dtype="float32")[words]
loss = generator.train_on_batch(g_input_noise_batch, one_hot_caption_batch)
print("loss", loss)
