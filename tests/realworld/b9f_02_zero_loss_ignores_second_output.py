"""A user built a two-output Keras model (`out1`, `out2`) and trained it with a loss on `out1`
only; in eager mode Keras failed because `out2` had no loss. The maintainer's suggested
workaround in the thread was a custom loss for the second head, `def zero_loss(y_true, y_pred):
return tf.constant(0.0)`, plus fake targets for 'out2'. That runs, but `zero_loss` receives
`out2` as `y_pred` and never uses it, so the kernel and bias of the `out2` Dense layer are not
connected to the total loss: their gradients are None, today's Keras prints "Gradients do not
exist for variables ['out2/kernel', 'out2/bias']" at every step, and `out2` never trains (its
weights stay at their initial values, while `out1` and the shared hidden layer do learn). If the
second head is meant to learn, its loss must use `y_pred` (e.g. 'mse'); if not, leave it out of
the optimised variables instead of faking a loss.
---
source: https://github.com/tensorflow/tensorflow/issues/22485
framework: both
outcome: warning
cause: unused_variable
static: false
line: [31, 30, 36]
variables: [out2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
import tensorflow.keras as keras
import numpy as np
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

tf.keras.utils.set_random_seed(0)


def zero_loss(y_true, y_pred):
  return tf.constant(0.0)

input_tensor = Input(shape=(20,), name="input")
hidden = Dense(100, activation='relu')(input_tensor)
out1 = Dense(10, activation='relu', name="out1")(hidden)
out2 = Dense(5, activation='relu', name="out2")(hidden)
model = Model(inputs=input_tensor, outputs=[out1, out2])
model.compile(loss={"out1": "mse", "out2": zero_loss}, optimizer=tf.keras.optimizers.Adam(learning_rate=0.001))
model.summary()

np.random.seed(0)
X = np.random.random((3, 20)).astype(np.float32)
Y1 = np.random.random((3, 10)).astype(np.float32)
Y2 = np.random.random((3, 5)).astype(np.float32)
model.fit(x={'input' : X}, y={'out1' : Y1, 'out2': Y2}, batch_size=1, epochs=10)
