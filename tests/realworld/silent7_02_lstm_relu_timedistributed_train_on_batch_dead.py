"""A many-to-many regression RNN: two LSTMs with activation='relu' and a
TimeDistributed(Dense(1, activation='relu')) head, MSE and SGD with Nesterov momentum,
trained batch by batch with train_on_batch. Every prediction is 0 and the per-batch losses
repeat exactly from one epoch to the next. With tf.keras.utils.set_random_seed(20)
(checked; most seeds train) the head's pre-activation is negative at every time step of
every sequence, so the final ReLU outputs exactly 0 and its gradient is exactly 0: the
Dense head and both LSTMs receive all-zero gradients and never change. Use a linear
output unit for regression (and ideally the default tanh inside the LSTMs).
---
source: https://github.com/keras-team/keras/issues/3687
framework: keras3
outcome: trains_silently
cause: zero_gradient
static: false
line: 34
variables: [lstm, lstm_1, time_distributed]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed, Input
from keras.optimizers import SGD

tf.keras.utils.set_random_seed(20)
NUM_EPOCH, BATCH_SIZE = 2, 16


def RNN_keras(feat_num, timestep_num=100):
    model = Sequential()
    model.add(Input(shape=(timestep_num, feat_num)))
    model.add(LSTM(16, activation='relu', return_sequences=True))
    model.add(LSTM(8, activation='relu', return_sequences=True))
    model.add(TimeDistributed(Dense(1, activation='relu')))  # sequence labeling

    sgd = SGD(learning_rate=0.01, momentum=0.99, nesterov=True)
    model.compile(loss='mean_squared_error',
                  optimizer=sgd,
                  metrics=['mean_squared_error'])
    return model


class MIG:
    def __init__(self, feat_num, timestep_num):
        rng = np.random.default_rng(0)
        self.X_train = rng.random((64, timestep_num, feat_num)).astype("float32")
        self.y_train = (self.X_train.sum(-1, keepdims=True) * 0.5).astype("float32")

    def Xy_gen(self, X, y, batch_size):
        for i in range(0, len(X), batch_size):
            yield X[i:i + batch_size], y[i:i + batch_size]


feat_num, timestep_num = 5, 10
mig = MIG(feat_num, timestep_num)
num_batch = len(mig.X_train) // BATCH_SIZE
rnn = RNN_keras(feat_num, timestep_num)

print("\n****** Iterating over each batch of the training data ******")
for epoch in range(1, NUM_EPOCH + 1):
    batch_index = 0
    for X_batch, y_batch in mig.Xy_gen(mig.X_train, mig.y_train, batch_size=BATCH_SIZE):
        batch_index += 1
        loss = rnn.train_on_batch(X_batch, y_batch)
        print("Epoch %d/%d : Batch %d/%d | %s = %f" %
              (epoch, NUM_EPOCH, batch_index, num_batch, "loss", float(loss[0])))

print("predictions all zero:", bool(np.all(rnn.predict(mig.X_train, verbose=0) == 0)))
