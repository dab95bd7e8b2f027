"""The user builds a Keras model with two outputs (two parallel Conv2D heads on the same
input) and then a second model that wraps it and keeps only the first output, to train
just that part. Calling the wrapped two-output model still runs both convolutions, but
only `x0` reaches the loss: the second head's kernel and bias get no gradient (TF 1.x
raised "An operation has `None` for gradient"; TF 2 warns "Gradients do not exist for
variables" and trains only the first head). Fix: build the part-model from the first
output tensor of the inner graph, `Model(net.input, net.outputs[0])`, so the unused
head is not part of it.

---
source: https://github.com/tensorflow/tensorflow/issues/22775
framework: both
outcome: warning
cause: unused_variable
static: false
line: [31, 37]
variables: [conv2d_1/kernel, conv2d_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Conv2D
np.random.seed(0)
tf.random.set_seed(0)


def get_test0_net():
    data_input = keras.Input(shape=(4, 4, 3))
    x0 = Conv2D(3, 3, padding='same')(data_input)
    x1 = Conv2D(3, 3, padding='same')(data_input)
    return keras.Model(data_input, [x0, x1])


def get_test1_net(test0_net):
    data_input = keras.Input(shape=(4, 4, 3))
    x0 = test0_net(data_input)[0]
    return keras.Model(data_input, x0)


test0 = get_test0_net()
test1 = get_test1_net(test0)
test1.compile(optimizer='adam', loss='mse')
x = np.random.rand(16, 4, 4, 3).astype("float32")
y = np.random.rand(16, 4, 4, 3).astype("float32")
test1.fit(x, y, epochs=2, batch_size=8, verbose=0)
print("done")
