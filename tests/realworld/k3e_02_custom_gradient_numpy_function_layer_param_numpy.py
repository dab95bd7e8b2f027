"""A custom op `func_tf(param, input)` is written with @tf.custom_gradient around two
numba-jitted NumPy functions called through tf.numpy_function, and it feeds them
`param.numpy()` and `input.numpy()`. A layer `myLayer` (one add_weight "param") applies it and a
subclassed `myModel` stacks three of them in a Python list. Calling the model eagerly works
(`model(1.5)`), but `model.fit` traces the step into a graph where the inputs are symbolic
tensors with no `.numpy()`: the forward pass fails before any gradient exists. Fix: pass the
tensors themselves to tf.numpy_function (it converts them), e.g.
tf.numpy_function(func, (param, input), tf.float32), or run_eagerly=True. (Under Keras 3 the eager
call already fails: custom_gradient sees the layer variable and demands a `variables` argument.)

---
source: https://github.com/tensorflow/tensorflow/issues/41836
framework: keras2
outcome: error
cause: numpy_conversion
line: [39, 40]
variables: [param]
also: [numpy_function]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

np.random.seed(0)
tf.random.set_seed(0)


def func(param, input):  # was @numba.jit(nopython = True)
    return (param * input ** 2).astype(np.float32)


def gradfunc(param, input):  # was @numba.jit(nopython = True)
    return (input ** 2).astype(np.float32)


@tf.custom_gradient
def func_tf(param, input):
    def grad(dy):
        return tf.numpy_function(gradfunc, (param.numpy(), input.numpy()), tf.float32), 2*param*input
    return tf.numpy_function(func, (param.numpy(), input.numpy()), tf.float32), grad

class myLayer(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()

    def build(self, input_shape):
        self.param = self.add_weight(name="param", shape=())

    def call(self, input):
        return func_tf(self.param, input)

class myModel(tf.keras.Model):
    def __init__(self, num_layers):
        super().__init__(name='')
        self._layers = [myLayer() for _ in range(num_layers)]

    def call(self, input_tensor):
        for layer in self._layers:
            input_tensor = layer(input_tensor)
        return input_tensor

model = myModel(3)
print(model(tf.constant(1.5)))  # <-- this works


def loss(target, output):
    return tf.abs(tf.reduce_sum(target - output))

model.compile(optimizer="adam", loss=loss)
x = np.random.rand(16, 1).astype("float32")
y = np.random.rand(16, 1).astype("float32")
model.fit(x, y, batch_size=8, epochs=1, verbose=0)
