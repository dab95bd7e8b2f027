"""The user minimizes `-mean(sum(log(y_N)))` over a raw `tf.Variable` with
`tf.keras.optimizers.Adam(0.5).minimize(loss, var_list=[y_N])`. The cost is computed once, at
module level, and `loss = lambda: cost` merely returns that already-computed tensor. Keras'
minimize opens its own GradientTape and calls the callable inside it, but nothing reads `y_N`
while that tape records, so the gradient is None and tf-keras raises "No gradients provided
for any variable: ['dd:0']". The fix from the thread: put the computation inside the lambda
(`loss = lambda: -tf.reduce_mean(...)`). Keras 3 optimizers have no `minimize`, so this is a
tf-keras (Keras 2) program.
---
source: https://github.com/tensorflow/tensorflow/issues/42167
framework: keras2
outcome: error
cause: outside_tape
line: [23, 25]
variables: [dd]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.random.set_seed(0)

y_N = tf.Variable([1., 2., 3.], name="dd")
cost = -tf.reduce_mean(input_tensor=tf.reduce_sum(input_tensor=tf.math.log(y_N), axis=0))

loss = lambda: cost

train_step = tf.keras.optimizers.Adam(0.5).minimize(loss, var_list=[y_N])
print("y_N after one step:", y_N.numpy())
