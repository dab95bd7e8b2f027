"""MNIST-tutorial network extended with a hidden layer: both layers' weights and biases are created with tf.zeros and the hidden layer uses softmax, so every hidden unit is identical and the first layer's gradient is zero up to rounding (about 1e-11) at every step: W1 and b1 effectively never move and accuracy stays near chance.

---
source: http://pullrequest.ru/11818227/neironnaya-set-odnim-skrytym-sloem-mozhet-byt-obuchena
framework: both
outcome: trains_silently
cause: zero_gradient
line: [21, 22, 25, 26]
variables: [W1, b1]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x_train = rng.random((256, 64)).astype("float32")
y_train = np.eye(10, dtype="float32")[(x_train[:, :10].argmax(1))]

# First layer of the NN
W1 = tf.Variable(tf.zeros([64, 10]), name="W1")
b1 = tf.Variable(tf.zeros([10]), name="b1")

# Second layer of the NN
W2 = tf.Variable(tf.zeros([10, 10]), name="W2")
b2 = tf.Variable(tf.zeros([10]), name="b2")
optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)
variables = [W1, b1, W2, b2]

for epoch in range(20):
    with tf.GradientTape() as tape:
        out1 = tf.nn.softmax(tf.matmul(x_train, W1) + b1)
        y = tf.nn.softmax(tf.matmul(out1, W2) + b2)
        cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_train * tf.math.log(y + 1e-10), axis=1))
    grads = tape.gradient(cross_entropy, variables)
    optimizer.apply_gradients(zip(grads, variables))
accuracy = np.mean(np.argmax(y.numpy(), 1) == np.argmax(y_train, 1))
print("loss", float(cross_entropy), "accuracy", accuracy)
print("max |grad|:", {v.name: float(tf.reduce_max(tf.abs(g))) for v, g in zip(variables, grads)})
print("W1 still zero:", bool(np.all(W1.numpy() == 0)), "b1 still zero:", bool(np.all(b1.numpy() == 0)))
