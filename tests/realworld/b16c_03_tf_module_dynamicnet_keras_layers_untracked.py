"""A port of the PyTorch "control flow + weight sharing" DynamicNet tutorial to
TensorFlow: the network is a `tf.Module` subclass holding three Keras `Dense`
layers, the middle one reused a random number of times per forward pass, and a
hand-written loop asks for `tape.gradient(loss, model.trainable_variables)`.
Nothing is trained: under Keras 3 the first `apply_gradients` call fails with
"ValueError: not enough values to unpack (expected 2, got 0)". The cause:
with Keras 3, Keras layers and Keras variables are not `tf.Module`s or
`tf.Variable`s, so `tf.Module`'s automatic collection does not see them and
`model.trainable_variables` is an empty tuple; nothing is differentiated and
the optimizer is handed an empty list. The fix is to subclass
`keras.Model` (or `keras.layers.Layer`) instead of `tf.Module`, so that the
Dense layers' weights are tracked.

---
source: https://github.com/tensorflow/tensorflow/issues/27046
framework: keras3
outcome: error
cause: untracked_variable
line: [30]
variables: [input_linear, middle_linear, output_linear]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import random
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
random.seed(0)


class DynamicNet(tf.Module):
    def __init__(self, d_in, h, d_out):
        super().__init__()
        self.input_linear = tf.keras.layers.Dense(h, name="input_linear")
        self.middle_linear = tf.keras.layers.Dense(h, name="middle_linear")
        self.output_linear = tf.keras.layers.Dense(d_out, name="output_linear")

    def __call__(self, x):
        h_relu = tf.nn.relu(self.input_linear(x))
        for _ in range(random.randint(0, 3)):
            h_relu = tf.nn.relu(self.middle_linear(h_relu))
        return self.output_linear(h_relu)


N, D_in, H, D_out = 64, 100, 32, 10
x = tf.random.normal((N, D_in))
y = tf.random.normal((N, D_out))

model = DynamicNet(D_in, H, D_out)
model(x)  # build the layers
optimizer = tf.keras.optimizers.SGD(learning_rate=1e-3, momentum=0.9)
print("variables seen by tf.Module:", len(model.trainable_variables))

for t in range(20):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(model(x) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    if t % 5 == 0:
        print(f"step {t}: loss {float(loss):.2f}")

