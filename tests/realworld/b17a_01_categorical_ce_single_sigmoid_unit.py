"""A user building a tiny two-layer classifier by hand (raw tf.Variables, a
forward() helper, one GradientTape step, as in the TF "basic training loops"
tutorial) labelled 2-D points with 0./1. and scored a one-unit sigmoid output
with tf.keras.losses.CategoricalCrossentropy. Every gradient came back with the
right shape but filled with zeros, so nothing could ever learn. Categorical
cross-entropy renormalises the prediction over the last axis; with a single
unit that axis has length 1, the normalised prediction is identically 1, the
loss is the constant 0 and its derivative with respect to every weight is 0.
The fix is a loss meant for one sigmoid unit: BinaryCrossentropy (or two
softmax units with one-hot labels).
---
source: https://whosebug.com/question/5885893/Training-a-basic-TensorFlow-Model-using-the-GradientTape
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: [37]
variables: [w0, w1, b1, b2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

# 250 points in the unit square, one column vector each: shape (250, 2, 1);
# label 1. when the point lies above the diagonal: shape (250, 1, 1).
pts = np.random.rand(250, 2).astype("float32")
x = tf.constant(pts.reshape(250, 2, 1))
y = tf.constant((pts[:, 1] > pts[:, 0]).astype("float32").reshape(250, 1, 1))

w0 = tf.Variable(tf.random.normal([4, 2]), name="w0")
w1 = tf.Variable(tf.random.normal([1, 4]), name="w1")
b1 = tf.Variable(tf.zeros([4, 1]), name="b1")
b2 = tf.Variable(tf.zeros([1, 1]), name="b2")

loss = tf.keras.losses.CategoricalCrossentropy()


def forward(inp):
    z1 = tf.matmul(w0, inp) + b1
    x1 = tf.nn.relu(z1)
    z2 = tf.matmul(w1, x1) + b2
    return tf.nn.sigmoid(z2)


with tf.GradientTape() as t:
    current_loss = loss(y, forward(x))

gradients = t.gradient(current_loss, [b1, b2, w0, w1])
print("loss:", float(current_loss))
for v, g in zip([b1, b2, w0, w1], gradients):
    print(v.name, "gradient max |g| =", float(tf.reduce_max(tf.abs(g))))
assert all(float(tf.reduce_max(tf.abs(g))) == 0.0 for g in gradients)
print("every gradient is exactly zero: the model cannot learn")
