"""Deep Learning with Python (3rd ed.) chapter 2, "The gradient tape in TensorFlow": the scalar example builds x with tf.zeros(shape=()), a constant tensor the tape does not watch, so tape.gradient(y, x) is None, while the chapter's NaiveDense training step on tf.Variable weights right after it gets its gradients.

---
source: https://github.com/fchollet/deep-learning-with-python-notebooks/pull/284
framework: keras3
outcome: gradient_none
cause: unwatched_tensor
line: [20, 22]
static: false
variables: [x]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras
from keras import ops

# Instantiates a scalar tensor with value 0
x = tf.zeros(shape=())
# Opens a GradientTape scope
with tf.GradientTape() as tape:
    # Inside the scope, applies some tensor operations to our variable
    y = 2 * x + 3
# Uses the tape to retrieve the gradient of the output y with respect to our variable x
grad_of_y_wrt_x = tape.gradient(y, x)
print("grad_of_y_wrt_x:", grad_of_y_wrt_x)


class NaiveDense:
    def __init__(self, input_size, output_size, activation=None):
        self.activation = activation
        self.W = keras.Variable(shape=(input_size, output_size), initializer="uniform")
        self.b = keras.Variable(shape=(output_size,), initializer="zeros")

    def __call__(self, inputs):
        x = ops.matmul(inputs, self.W) + self.b
        return self.activation(x) if self.activation is not None else x

    @property
    def weights(self):
        return [self.W, self.b]


class NaiveSequential:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, inputs):
        for layer in self.layers:
            inputs = layer(inputs)
        return inputs

    @property
    def weights(self):
        return [w for layer in self.layers for w in layer.weights]


model = NaiveSequential([NaiveDense(28 * 28, 64, activation=ops.relu),
                         NaiveDense(64, 10, activation=ops.softmax)])
learning_rate = 1e-3


def one_training_step(model, images_batch, labels_batch):
    with tf.GradientTape() as tape:
        predictions = model(images_batch)
        loss = ops.sparse_categorical_crossentropy(labels_batch, predictions)
        average_loss = ops.mean(loss)
    gradients = tape.gradient(average_loss, model.weights)
    for g, w in zip(gradients, model.weights):
        w.assign(w - g * learning_rate)
    return average_loss


images = np.random.rand(32, 28 * 28).astype("float32")
labels = np.random.randint(0, 10, 32)
print("loss:", float(one_training_step(model, images, labels)))
