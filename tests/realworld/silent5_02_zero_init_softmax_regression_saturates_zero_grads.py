"""A softmax-regression food classifier written by hand: W and b are tf.Variables initialised
with zeros, the image is flattened (raw 0..255 pixels), `softmax(x @ W + b)`, and the loss is
the *summed* cross-entropy `-reduce_sum(y * log(y_pred + 1e-10))`, minimised with SGD at
learning rate 0.5. The first step is fine (all probabilities are 1/3), but it is enormous:
summed over the batch and over thousands of unscaled pixels, the update pushes the logits
apart by about 1e8, and the softmax saturates to exact 0/1 in float32. From then on the
softmax backward pass multiplies by p * (1 - p) = 0: every gradient is zero up to float32
rounding (sum |grad W| falls from 1.4e7 to 0.84 over 36864 weights, "the grads are always
zero except for the first time"), the weights never move again and the loss stays
bit-for-bit at 23.03 per misclassified image. Fix: scale the inputs (x / 255), average
instead of summing the loss, use a smaller learning rate, and compute the loss from logits
with `tf.nn.softmax_cross_entropy_with_logits`.
---
source: https://github.com/tensorflow/tensorflow/issues/52175
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: [37, 46]
variables: [W, b]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

np.random.seed(0)
tf.random.set_seed(0)

flatten = tf.keras.layers.Flatten()


def forward(x):
    return tf.matmul(x, W) + b


def activate(x):
    return tf.nn.softmax(forward(x))


def model(x):
    x = flatten(x)
    return activate(x)


def cross_entropy(y_label, y_pred):
    return (-tf.reduce_sum(y_label * tf.math.log(y_pred + 1.e-10)))


optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)


def train_step(x, y):
    with tf.GradientTape() as tape:
        # compute loss function
        current_loss = cross_entropy(y, model(x))
    # compute gradient of loss
    grads = tape.gradient(current_loss, [W, b])
    print("grad |W|:", float(tf.reduce_sum(tf.abs(grads[0]))), " grad |b|:", float(tf.reduce_sum(tf.abs(grads[1]))))
    # Apply SGD step to our Variables W and b
    optimizer.apply_gradients(zip(grads, [W, b]))
    return current_loss.numpy()


# 64x64 RGB food images with raw pixel values, 3 classes
images = np.random.randint(0, 256, size=(16, 64, 64, 3)).astype("float32")
labels = tf.one_hot(np.random.randint(0, 3, size=16), 3)

W = tf.Variable(tf.zeros([64 * 64 * 3, 3], tf.float32), name="W")
# Bias tensor
b = tf.Variable(tf.zeros([3], tf.float32), name="b")

loss_values = []
for epoch in range(4):
    loss_values.append(train_step(images, labels))
    print("epoch", epoch, "loss", loss_values[-1])
