"""Fast-gradient-sign attack on a Sequential model whose first layer is a custom filtering Layer wrapping np.sinh with tf.compat.v1.py_func; the gradient of the loss with respect to the input comes back None, and building the adversarial example from tf.sign(grad) fails.

---
source: https://github.com/cleverhans-lab/cleverhans/issues/432
framework: both
outcome: error
cause: numpy_function
line: 25
variables: [x]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Activation, Layer


class MyLayer(Layer):
    def build(self, input_shape):
        super(MyLayer, self).build(input_shape)

    def call(self, X):
        def __function(X): return np.sinh(X)
        return tf.reshape(tf.compat.v1.py_func(__function, [X], tf.float32), shape=(-1, *X.shape[1:]))
        # tf.reshape() is needed to enforce shape of output


kerasmodel = Sequential([
    tf.keras.Input((4,)),
    MyLayer(),
    Activation("relu"),
    Dense(3),
    Activation("softmax"),
])


def fast_gradient_method(model, x, y, eps=0.1):
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.keras.losses.categorical_crossentropy(y, model(x))
    grad = tape.gradient(loss, x)
    print("grad w.r.t. x:", grad)
    return tf.stop_gradient(x + eps * tf.sign(grad))


x = tf.constant(np.random.rand(5, 4).astype(np.float32))
y = tf.one_hot(np.random.randint(0, 3, size=5), 3)
adv_x = fast_gradient_method(kerasmodel, x, y)
print("adversarial examples:", adv_x.shape)
