"""Stateful LSTM learning the alphabet (machinelearningmastery): a one-hot "letter ->
next letter" problem, an LSTM with stateful=True and a fixed batch shape, trained with
model.fit(shuffle=False) and a callback that resets the LSTM state after every epoch.
The carried-over state is non-trainable on purpose; the weights train.

---
source: http://machinelearningmastery.com/understanding-stateful-lstm-recurrent-neural-networks-python-keras/
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
from tensorflow import keras

alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
char_to_int = dict((c, i) for i, c in enumerate(alphabet))
seq_length = 1
dataX, dataY = [], []
for i in range(0, len(alphabet) - seq_length):
    seq_in = alphabet[i:i + seq_length]
    seq_out = alphabet[i + seq_length]
    dataX.append([char_to_int[char] for char in seq_in])
    dataY.append(char_to_int[seq_out])
X = np.reshape(dataX, (len(dataX), seq_length, 1)).astype("float32") / float(len(alphabet))
y = keras.utils.to_categorical(dataY, num_classes=len(alphabet))

batch_size = 5
X, y = X[:25], y[:25]
model = keras.Sequential(
    [
        keras.Input(batch_shape=(batch_size, X.shape[1], X.shape[2])),
        keras.layers.LSTM(16, stateful=True),
        keras.layers.Dense(y.shape[1], activation="softmax"),
    ]
)
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(1e-2), metrics=["accuracy"])
before = [v.numpy().copy() for v in model.trainable_variables]


class ResetStatesCallback(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.model.layers[0].reset_states()


history = model.fit(X, y, epochs=12, batch_size=batch_size, verbose=0, shuffle=False,
                    callbacks=[ResetStatesCallback()])
losses = history.history["loss"]
print("loss", losses[0], "->", losses[-1])
assert losses[-1] < losses[0]
assert all(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
print("ok")
