"""Sequential CNN with Keras augmentation layers inside the model; a RandomContrast layer placed after
BatchNormalization (between trainable layers) makes model.fit fail, because tf-keras implements it with
tf.image.adjust_contrast, whose AdjustContrastv2 op has no registered gradient.

---
source: https://github.com/tensorflow/tensorflow/issues/62145
framework: keras2
outcome: error
cause: nondifferentiable_op
line: 36
variables: [conv2d/kernel, conv2d/bias, conv2d_1/kernel, conv2d_1/bias, batch_normalization/gamma, batch_normalization/beta]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, MaxPooling2D, BatchNormalization, Flatten, Dense, LeakyReLU, RandomRotation
from tensorflow.keras.backend import clear_session

img_height, img_wdith, num_classes = 32, 32, 4

clear_session()
model_6 = Sequential()
model_6.add(Conv2D(filters=16, kernel_size=(3, 3), padding="same",
                   input_shape=(img_height, img_wdith, 3), activation="relu"))
model_6.add(RandomRotation(factor=0.3))
model_6.add(layers.RandomFlip("horizontal_and_vertical"))
model_6.add(MaxPooling2D(pool_size=(2, 2)))
model_6.add(Conv2D(filters=16, kernel_size=(3, 3), padding="same", activation="relu"))
model_6.add(MaxPooling2D(pool_size=(2, 2)))
batch_normalization = BatchNormalization()
batch_normalization.trainable = True
model_6.add(batch_normalization)
model_6.add(layers.RandomContrast(factor=0.2, seed=11))
model_6.add(Flatten())
model_6.add(Dense(256))
model_6.add(LeakyReLU(0.1))
model_6.add(Dense(num_classes, activation="softmax"))

model_6.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
train_images = np.random.rand(32, img_height, img_wdith, 3).astype("float32")
train_labels = np.random.randint(0, num_classes, 32)
model_6.fit(train_images, train_labels, epochs=1, batch_size=16, verbose=0)
print("fit done")
