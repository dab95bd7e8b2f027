"""A binary classifier on windows of four price series: two Conv1D blocks
(BatchNormalization, LeakyReLU, Dropout), a Flatten, a Dense(64) block, then
`model.add(Dense(1))` and `model.add(Activation('softmax'))`, compiled with
Adam and binary cross-entropy. The user saw the model predict 1 for every test
row, and the answers (written for the Keras of 2017) blame a zero gradient: a
softmax over one output is always 1.0. On today's Kerases the gradients are
fine: the softmax caches its input logits on its output, and binary
cross-entropy takes those logits (a sigmoid cross-entropy), so every layer
gets a nonzero gradient and the loss falls. Only the predictions stay at 1.0,
which is not a gradient fault: gradtrace must not report a zero gradient
here. (The fix for the predictions is still `Activation('sigmoid')`.) Ported
from Keras 1 (`Convolution1D(nb_filter=...)`, `nb_epoch`) to the current API,
on random inputs.
---
source: https://techfeed.net/es/456718/
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import (Input, Conv1D, BatchNormalization, LeakyReLU, Dropout,
                                     Flatten, Dense, Activation)

tf.keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
X_train = rng.normal(size=(256, 10, 4)).astype("float32")
y_train = (X_train[:, -1, 0] > X_train[:, 0, 0]).astype("float32")[:, None]

model = Sequential()
model.add(Input((10, 4)))
model.add(Conv1D(16, 4, padding='same'))
model.add(BatchNormalization())
model.add(LeakyReLU())
model.add(Dropout(0.2))
model.add(Conv1D(8, 4, padding='same'))
model.add(BatchNormalization())
model.add(LeakyReLU())
model.add(Dropout(0.2))
model.add(Flatten())
model.add(Dense(64))
model.add(BatchNormalization())
model.add(LeakyReLU())

model.add(Dense(1))
model.add(Activation('softmax'))

model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
history = model.fit(X_train, y_train, epochs=2, batch_size=128, verbose=0, shuffle=True)
y_pred = model.predict(X_train, verbose=0)
print("loss", history.history["loss"], "distinct predictions:", np.unique(np.round(y_pred, 3)))
