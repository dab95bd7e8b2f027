"""YOLO-style weighted L2 loss whose weights depend on where the objects are in y_true: before
anything else the loss peeks at the labels with K.get_value(y_true); inside model.fit the loss
is traced symbolically, so get_value has no value to give and training fails at the first step.

---
source: https://github.com/keras-team/keras/issues/10636
framework: both
outcome: error
cause: numpy_conversion
line: 31
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tensorflow.keras.backend as K
from tensorflow.keras.layers import Conv2D, MaxPooling2D, Dense, Flatten, LeakyReLU
from tensorflow.keras.models import Sequential

# Defining some random ConvNet.
myNN = Sequential()
myNN.add(tf.keras.Input(shape=(32, 32, 3)))
myNN.add(Conv2D(3, (3, 3), padding="same"))
myNN.add(LeakyReLU(0.1))
myNN.add(MaxPooling2D((2, 2), padding="valid"))
myNN.add(Flatten())
myNN.add(Dense(3))


def my_loss(y_true, y_pred):
    yy = K.get_value(y_true)  # peek at the labels to place the weights
    weights = np.where(yy > 0.5, 5.0, 0.5).astype("float32")
    return K.mean(weights * K.square(y_true - y_pred))


myNN.compile(optimizer="adam", loss=my_loss)
x = np.random.rand(16, 32, 32, 3).astype("float32")
y = np.random.rand(16, 3).astype("float32")
myNN.fit(x, y, batch_size=8, epochs=1, verbose=0)
print("trained")
