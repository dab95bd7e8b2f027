"""A hand-written `Dense` tf.Module (w, b, relu) is trained with the TF1-style
`tf.compat.v1.train.AdamOptimizer(0.4).minimize(loss_fn, var_list=test.trainable_variables)`.
In eager mode `minimize` calls `loss_fn` under its own GradientTape, but the forward pass
`output = test([[7.0, 3]])` ran once at module level, before any tape existed; `loss_fn` only
reads that precomputed tensor. So the loss is a constant with respect to `w` and `b`, and the
first `minimize` raises "No gradients provided for any variable". The fix is to call
`test(...)` inside `loss_fn`.
---
source: https://github.com/tensorflow/tensorflow/issues/51489
framework: both
outcome: error
cause: outside_tape
line: 33
variables: [w, b]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.random.set_seed(0)


class Dense(tf.Module):
    def __init__(self, input_dim, output_size, name=None):
        super(Dense, self).__init__(name=name)
        self.w = tf.Variable(
            tf.random.normal([input_dim, output_size]), name='w')
        self.b = tf.Variable(tf.zeros([output_size]), name='b')
    def __call__(self, x):
        y = tf.matmul(x, self.w) + self.b
        return tf.nn.relu(y)

test = Dense(2, 4)
output = test([[7.0, 3]])
# print(output)
print("trainable variables:", [v.name for v in test.trainable_variables])

def loss_fn():
    y_true = tf.ones([1, 4])

    loss = tf.reduce_mean(tf.square(y_true - output))
    return loss

for i in range(3):
    print("step", i, "loss:", round(float(loss_fn()), 4))
    train_op = tf.compat.v1.train.AdamOptimizer(0.4).minimize(
        loss_fn, var_list=test.trainable_variables)
    print(train_op)
