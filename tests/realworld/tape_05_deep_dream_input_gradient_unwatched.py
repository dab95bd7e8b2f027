"""Optimising the input image instead of the weights ("like Deep Dreaming"), from a
Stack Overflow question (mirrored on whosebug.com). The subclassed MNIST-style
`MyModel` is first trained normally; then the user copies `train_step`, asks for
`tape.gradient(loss, image)` and hands the result to `optimizer.apply_gradients`.
`image` is a plain tensor: the tape only watches variables automatically, so the
gradient is None and `zip(gradients, image)` fails. The answer: `tape.watch(image)`
inside the tape (and keep the image in a `tf.Variable` if an optimizer is to update
it).
---
source: https://whosebug.com/question/4342485/How-to-get-gradients-with-respect-to-input-and-change-input-rather-than-trainable-vars-to-minimize-loss-in-TF-2
framework: both
outcome: error
cause: unwatched_tensor
line: 56
variables: [image]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import Model
from tensorflow.keras.layers import Conv2D, Flatten, Dense

tf.keras.utils.set_random_seed(0)


class MyModel(Model):
    def __init__(self):
        super(MyModel, self).__init__()
        self.conv1 = Conv2D(32, 3, activation='relu')
        self.flatten = Flatten()
        self.d1 = Dense(128, activation='relu')
        self.d2 = Dense(10, activation='softmax')

    def call(self, x):
        x = self.conv1(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


model = MyModel()
loss_object = tf.keras.losses.SparseCategoricalCrossentropy()
optimizer = tf.keras.optimizers.Adam()


@tf.function
def train_step(image, label):
    with tf.GradientTape() as tape:
        predictions = model(image)
        loss = loss_object(label, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))


def train_step_input(image, label):
    with tf.GradientTape() as tape:
        predictions = model(image)
        loss = loss_object(label, predictions)
    gradients = tape.gradient(loss, image)
    print("gradient w.r.t. image:", gradients)
    optimizer.apply_gradients(zip(gradients, image))


images = tf.constant(np.random.rand(8, 28, 28, 1).astype("float32"))
labels = tf.constant(np.random.randint(0, 10, size=(8,)))
train_step(images, labels)
train_step_input(images, labels)
