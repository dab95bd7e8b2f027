"""MNIST dense classifier compiled with a hand-written MSE loss that prints the error with err.numpy() for debugging; the .numpy() call is not even on the loss path, but model.fit runs the loss inside a compiled step where the tensor is symbolic, so training fails at once.

---
source: https://github.com/tensorflow/tensorflow/issues/40508
framework: both
outcome: error
cause: numpy_conversion
line: 20
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Flatten, Dense


def loss(yT, yP):
    err = yT - yP
    print(err.numpy())
    squaredError = tf.square(err)
    meanError = tf.reduce_mean(squaredError)
    return meanError


xTrain = np.random.rand(64, 28, 28).astype(np.float32)
yTrain = tf.keras.utils.to_categorical(np.random.randint(0, 10, size=64), num_classes=10)

model = Sequential()
model.add(Flatten(input_shape=(28, 28)))
model.add(Dense(100, activation='relu'))
model.add(Dense(10, activation='softmax'))
model.compile(optimizer='adam', loss=loss, metrics=['accuracy'])
model.fit(xTrain, yTrain, epochs=1, batch_size=32, verbose=0)
print("trained")
