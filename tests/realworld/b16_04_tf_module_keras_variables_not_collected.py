"""The user mixes Keras pieces into a `tf.Module`: a `MockLayer(tf.Module)`
whose `__init__` makes its weights with `tf.keras.Variable(...)` (and, as the
user wanted to do next, holds a Keras `Dense` layer), trained in a plain
GradientTape loop on `layer.trainable_variables`. The list is empty: Keras 3
variables and layers are not tf.Variables or tf.Modules, so the module's
automatic collection skips them; the gradient is asked for nothing and the
optimizer's `apply_gradients(zip(grads, layer.trainable_variables))` fails with
"not enough values to unpack". With `tf.Variable` the same module works, which
is what the user observed. Fix: subclass `keras.layers.Layer` (and make the
weights with `self.add_weight`) instead of `tf.Module`. Shrunk to a 5x5
elementwise scale plus a Dense projection on random data.
---
source: https://github.com/tensorflow/tensorflow/issues/84019
framework: keras3
outcome: error
cause: untracked_variable
line: [26]
variables: [m, w, proj]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class MockLayer(tf.Module):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.m = tf.keras.Variable(tf.random.normal([5, 5]), name="m")
        self.w = tf.keras.Variable(tf.random.normal([5, 5]), name="w")
        self.proj = tf.keras.layers.Dense(5, name="proj")

    def __call__(self, inputs):
        return self.proj(self.m * inputs + self.w)


layer1 = MockLayer()
print("trainable variables:", [v.name for v in layer1.trainable_variables])
optimizer = tf.keras.optimizers.Adam(1e-2)
x = tf.random.normal([8, 5, 5])
for step in range(3):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(layer1(x) - 1.0))
    grads = tape.gradient(loss, layer1.trainable_variables)
    optimizer.apply_gradients(zip(grads, layer1.trainable_variables))
    print(step, float(loss))
