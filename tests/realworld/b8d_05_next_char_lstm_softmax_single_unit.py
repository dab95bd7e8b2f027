"""Next-character prediction, early-Keras style: the text is encoded as a sequence of
letter/digit codes scaled to [0, 1], an LSTM reads a window of them, and the model ends in
`Dense(1)` + `Activation('softmax')` to predict the next code, trained with mean squared error.
The user printed the rounded predictions and got only 1s, regardless of the input, for
hundreds of epochs. No error is raised. As the maintainer answered, a softmax over an axis of
size 1 is exp(z)/exp(z) = 1 for every input. Its Jacobian is 0 (here float rounding leaves about
1e-8), so the loss is constant to 4 digits. Every weight below the softmax (the LSTM and the
Dense) gets a gradient of that size and moves by about 1e-6 at most. Keras 3 emits a UserWarning
that a softmax over an axis of size 1 always returns 1. tf-keras trains the same way with no
warning at all. Fix: a sigmoid (or linear) single output for a scalar target, or a softmax over
`vocab_size` units with categorical cross-entropy on one-hot targets.
(The pastebin code of the report is not visible. The model follows the report's description.)
---
source: https://github.com/keras-team/keras/issues/500
framework: keras3
outcome: warning
cause: zero_gradient
line: [44, 45]
variables: [lstm, dense]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Input, LSTM, Dense, Activation

tf.keras.utils.set_random_seed(0)

chars = "abcdefghijklmnopqrstuvwxyz0123456789 "
text = "".join(np.random.choice(list(chars), size=600))
char_to_code = {c: i / (len(chars) - 1) for i, c in enumerate(chars)}
maxlen = 10

X, y = [], []
for i in range(len(text) - maxlen):
    X.append([[char_to_code[c]] for c in text[i:i + maxlen]])
    y.append(char_to_code[text[i + maxlen]])
X = np.array(X, dtype="float32")
y = np.array(y, dtype="float32").reshape(-1, 1)

model = Sequential()
model.add(Input(shape=(maxlen, 1)))
model.add(LSTM(32))
model.add(Dense(1))
model.add(Activation('softmax'))
model.compile(loss='mean_squared_error', optimizer='rmsprop')
print("trainable:", [getattr(v, "path", v.name) for v in model.trainable_variables])

before = [w.copy() for w in model.get_weights()]
history = model.fit(X, y, batch_size=64, epochs=5, verbose=0)
print("loss per epoch:", [round(float(l), 4) for l in history.history["loss"]])
print("largest weight change < 1e-4:", max(float(np.abs(a - b).max()) for a, b in zip(before, model.get_weights())) < 1e-4)
print("rounded predictions:", np.round(model.predict(X[:8], verbose=0)).astype(int).ravel())
