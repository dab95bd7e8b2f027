"""Binarized neural network: a BinaryLayer creates its kernel with add_weight and uses
sign(kernel) in the forward pass through a @tf.custom_gradient `binarize` whose backward
returns the upstream gradient clipped to [-1, 1] (straight-through), plus a hard_tanh
activation with an identity backward. Trained with a GradientTape loop; the real-valued
kernels and the float output layer all move.

---
source: https://github.com/carlomarxdk/BNN/blob/HEAD/binary_neuron/Germans/utils.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace


@tf.custom_gradient
def binarize(x):
    def grad(dy):
        return tf.clip_by_value(dy, -1, 1)

    return tf.sign(x), grad


@tf.custom_gradient
def hard_tanh(x):
    def grad(dy):
        return dy

    return tf.clip_by_value(x, -1.0, 1.0), grad


class BinaryLayer(tf.keras.layers.Layer):
    def __init__(self, num_outputs):
        super().__init__()
        self.num_outputs = num_outputs

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel",
            shape=[int(input_shape[-1]), self.num_outputs],
            initializer="glorot_uniform",
            trainable=True,
        )

    def call(self, input, is_binary=True):
        weight = binarize(tf.convert_to_tensor(self.kernel))
        output = tf.matmul(input, weight)
        if is_binary:
            output = hard_tanh(output)
        return output


class Model(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.layer1 = BinaryLayer(32)
        self.layer2 = BinaryLayer(16)
        self.out = tf.keras.layers.Dense(2)

    def call(self, x):
        return self.out(self.layer2(self.layer1(x)))


model = Model()
optimizer = tf.keras.optimizers.Adam(1e-2)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
x = np.random.randn(128, 10).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype("int32")
model(x[:1])
before = [v.numpy().copy() for v in model.trainable_variables]
losses = []
for step in range(30):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    losses.append(float(loss))
print("loss", losses[0], "->", losses[-1])
changed = [not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables)]
assert all(changed), changed
assert min(losses[-5:]) < losses[0]
print("ok")
