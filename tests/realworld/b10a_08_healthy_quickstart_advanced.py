"""Healthy program adapted from the TensorFlow 2 quickstart for experts: a
subclassed keras.Model (Conv2D -> Flatten -> Dense -> Dense logits) trained with
a `tf.function`-compiled GradientTape `train_step` using
SparseCategoricalCrossentropy(from_logits=True), Adam, and Mean /
SparseCategoricalAccuracy metrics. The forward pass and loss are computed inside
the tape, gradients are taken with respect to `model.trainable_variables`, and
every variable receives a finite, non-zero gradient; the loss decreases. Shrunk
to small random MNIST-shaped data (no download) so that it runs in seconds.
---
source: https://github.com/tensorflow/docs/blob/master/site/en/tutorials/quickstart/advanced.ipynb
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense, Flatten, Conv2D
from tensorflow.keras import Model

tf.keras.utils.set_random_seed(0)

x_train = np.random.rand(128, 28, 28, 1).astype("float32")
y_train = (x_train[:, :14].mean(axis=(1, 2, 3)) > x_train[:, 14:].mean(axis=(1, 2, 3))).astype("int64")
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(128).batch(32)


class MyModel(Model):
    def __init__(self):
        super().__init__()
        self.conv1 = Conv2D(8, 3, activation="relu", name="conv1")
        self.flatten = Flatten(name="flatten")
        self.d1 = Dense(32, activation="relu", name="d1")
        self.d2 = Dense(10, name="d2")

    def call(self, x):
        x = self.conv1(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


model = MyModel()
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-3)
train_loss = tf.keras.metrics.Mean(name="train_loss")
train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")


@tf.function
def train_step(images, labels):
    with tf.GradientTape() as tape:
        predictions = model(images, training=True)
        loss = loss_object(labels, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_loss(loss)
    train_accuracy(labels, predictions)


EPOCHS = 5
for epoch in range(EPOCHS):
    train_loss.reset_state()
    train_accuracy.reset_state()
    for images, labels in train_ds:
        train_step(images, labels)
    print(f"Epoch {epoch + 1}, Loss: {float(train_loss.result()):.4f}, "
          f"Accuracy: {float(train_accuracy.result()) * 100:.1f}")
