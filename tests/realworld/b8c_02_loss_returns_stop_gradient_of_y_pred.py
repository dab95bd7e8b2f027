"""The user has a multi-output model and, at some stage of training, wants to update only
one branch. Looking for a way to "prevent backpropagation" he tries `K.stop_gradient`
on a small single-output Sequential model first, by writing it as the loss itself:
`def loss(y_true, y_pred): return K.stop_gradient(y_pred)`. The loss is then a
tensor with no path back to any weight: every gradient is None and `fit` fails
(TF1: "Tried to convert 'x' to a tensor and failed. Error: None values not supported";
TF2: "No gradients provided for any variable"). `stop_gradient` belongs on the
branch that must not be updated, not around the whole loss; the answer's fix is two
models that share the trunk's layers, or freezing the other branch.

---
source: https://whosebug.com/question/3234951/How-to-prevent-backpropagation-after-compiling-a-keras-model
framework: keras2
outcome: error
cause: stop_gradient
line: 31
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias, dense_2/kernel, dense_2/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Dropout
import tensorflow.keras.backend as K

tf.random.set_seed(0)
np.random.seed(0)


def loss(y_true, y_pred):
    return K.stop_gradient(y_pred)

# Generate dummy data
x_train = np.random.random((10, 20))
y_train = np.random.randint(2, size=(10, 1))
x_test = np.random.random((10, 20))
y_test = np.random.randint(2, size=(10, 1))

model = Sequential()
model.add(Dense(64, input_dim=20, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(64, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(1, activation='sigmoid'))

model.compile(loss=loss,
              optimizer='rmsprop',
              metrics=['accuracy'])

model.fit(x_train, y_train,
          epochs=1,
          batch_size=128, verbose=0)

score = model.evaluate(x_test, y_test, batch_size=128, verbose=0)
print(score)
