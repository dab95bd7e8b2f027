"""A `tf.Module` that keeps its Keras layers in a list of lists
(`self.list.append([Dense(5, trainable=False), Dense(5)])`, twice) and chains
them in `__call__`. The user expected `M().trainable_variables` to hold the six
variables of the three trainable Dense layers (TF 2.0 returned eight, ignoring
`trainable=False`). On TensorFlow 2.21 with Keras 3 it holds none: Keras 3
layers are not tf.Modules, so the module's collection does not see the layers
in its lists at all; a training loop on `m.trainable_variables` asks the tape
for nothing, and `apply_gradients` fails with "not enough values to unpack".
Fix: subclass `keras.layers.Layer` (or `keras.Model`), which tracks layers held
in lists and honours `trainable=False`.
---
source: https://github.com/tensorflow/tensorflow/issues/29329
framework: keras3
outcome: error
cause: untracked_variable
line: [25]
variables: [dense_1, dense_2, dense_3]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class M(tf.Module):

    def __init__(self):
        super(M, self).__init__()
        self.list = []
        self.list.append([tf.keras.layers.Dense(5, trainable=False), tf.keras.layers.Dense(5)])
        self.list.append([tf.keras.layers.Dense(5), tf.keras.layers.Dense(5)])

    def __call__(self, inputs):
        output = inputs
        for l_list in self.list:
            for l in l_list:
                output = l(output)
        return output


m = M()
x = tf.random.normal([4, 3])
m(x)
print("trainable variables:", len(m.trainable_variables))
optimizer = tf.keras.optimizers.SGD(0.1)
for step in range(3):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(m(x)))
    grads = tape.gradient(loss, m.trainable_variables)
    optimizer.apply_gradients(zip(grads, m.trainable_variables))
