"""TensorFlow-Examples logistic regression run on the user's own MNIST-shaped data (raw 0-255 pixels): the hand-written cross-entropy takes tf.math.log of the softmax output, after one step some probabilities are exactly 0, log gives -inf, and the loss and every gradient become NaN.

---
source: https://github.com/aymericdamien/TensorFlow-Examples/issues/383
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 32
variables: [weight, bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

learning_rate, training_epochs, batch_size = 0.01, 3, 32
num_features, num_classes = 64, 10
rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, (128, num_features)).astype("float32")  # own data set, not rescaled
y_train = np.eye(num_classes, dtype="float32")[rng.integers(0, num_classes, 128)]

W = tf.Variable(tf.zeros([num_features, num_classes]), name="weight")
b = tf.Variable(tf.zeros([num_classes]), name="bias")
optimizer = tf.optimizers.SGD(learning_rate)


def logistic_regression(x):
    return tf.nn.softmax(tf.matmul(x, W) + b)


def cross_entropy(pred, y):
    return tf.reduce_mean(-tf.reduce_sum(y * tf.math.log(pred), axis=1))


for epoch in range(training_epochs):
    for i in range(0, len(x_train), batch_size):
        batch_x, batch_y = x_train[i:i + batch_size], y_train[i:i + batch_size]
        with tf.GradientTape() as g:
            pred = logistic_regression(batch_x)
            cost = cross_entropy(pred, batch_y)
        gradients = g.gradient(cost, [W, b])
        optimizer.apply_gradients(zip(gradients, [W, b]))
    print("Epoch:", epoch + 1, "cost=", float(cost), "W finite:", bool(np.isfinite(W.numpy()).all()))
