"""A user training an SRCNN-style network (three conv layers held in raw variables
`conv_w_0..2` / `conv_b_0..2`) wanted the network output to be integers, so they wrapped it in
`tf.round` inside the loss: `tf.round(Train_output) * Train_tao / 2 + Train_img_LR[...] -
Train_img_HR`. Training failed with "No gradients provided for any variable" listing all six
variables. The cause: `tf.round` has no usable gradient (TensorFlow registers None for Round), and
it sits on the only path from the variables to the loss, so every gradient is None. The fix is
to keep the loss on the continuous output (round only at inference time), or use a
straight-through estimator such as `x + tf.stop_gradient(tf.round(x) - x)`. The TF1 graph code
(placeholders, `minimize`) is rewritten with GradientTape, which TF 2.21 forces.
---
source: https://github.com/tensorflow/tensorflow/issues/18636
framework: both
outcome: error
cause: nondifferentiable_op
line: 54
variables: [conv_w_0, conv_b_0, conv_w_1, conv_b_1, conv_w_2, conv_b_2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

patch = 33
weights = {
    'w0': tf.Variable(tf.random.normal([9, 9, 1, 64], stddev=1e-3), name='conv_w_0'),
    'w1': tf.Variable(tf.random.normal([1, 1, 64, 32], stddev=1e-3), name='conv_w_1'),
    'w2': tf.Variable(tf.random.normal([5, 5, 32, 1], stddev=1e-3), name='conv_w_2'),
}
biases = {
    'b0': tf.Variable(tf.zeros([64]), name='conv_b_0'),
    'b1': tf.Variable(tf.zeros([32]), name='conv_b_1'),
    'b2': tf.Variable(tf.zeros([1]), name='conv_b_2'),
}
var_list = [weights['w0'], biases['b0'], weights['w1'], biases['b1'], weights['w2'], biases['b2']]


def model(Train_img_LR):
    conv1 = tf.nn.relu(tf.nn.conv2d(Train_img_LR, weights['w0'], strides=[1, 1, 1, 1], padding='VALID') + biases['b0'])
    conv2 = tf.nn.relu(tf.nn.conv2d(conv1, weights['w1'], strides=[1, 1, 1, 1], padding='VALID') + biases['b1'])
    conv3 = tf.nn.conv2d(conv2, weights['w2'], strides=[1, 1, 1, 1], padding='VALID') + biases['b2']
    return conv3


optimizer = tf.keras.optimizers.Adam(1e-4)

Train_img_LR = np.random.rand(4, patch, patch, 1).astype('float32')
Train_img_HR = np.random.rand(4, 21, 21, 1).astype('float32')
Train_tao = np.float32(2.0)

for step in range(3):
    with tf.GradientTape() as tape:
        Train_output = model(Train_img_LR)
        Loss = tf.reduce_mean(tf.nn.l2_loss(tf.round(Train_output) * Train_tao / 2 + Train_img_LR[:, 6:27, 6:27, :] - Train_img_HR))
    grads = tape.gradient(Loss, var_list)
    optimizer.apply_gradients(zip(grads, var_list))
    print(step, float(Loss))
