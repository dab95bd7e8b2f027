"""A hand-written softplus used as a Dense activation in model.fit:
`my_softplus(z) = tf.math.log(tf.exp(z) + 1)`. On small test values it matches
`tf.keras.activations.softplus` to the last digit, but the user trained on MNIST without
normalising the pixels (0..255): the first layer's pre-activations are in the hundreds,
`tf.exp(z)` overflows float32 to inf past z ~ 88.7, `log(inf + 1)` is inf, and the backward
pass of log(exp(z) + 1) is exp(z) / (exp(z) + 1) = inf / inf = NaN. The NaN gradients are
written into the weights and the loss is nan from the first epoch on, without an error
("when I use my_softplus I get NaN as the loss"), while the built-in softplus (computed
stably as log1p(exp(-|z|)) + max(z, 0)) trains. Fix: normalise the inputs (x / 255.) and
write the activation stably, e.g. `tf.math.softplus(z)` or
`tf.math.log1p(tf.exp(-tf.abs(z))) + tf.maximum(z, 0.)`.
(Which later layers hold NaN after the first epoch varies from run to run with the
threads' order: the first layer's weights always do.)
---
source: https://whosebug.com/question/6310037/Keras-shows-NaN-loss-when-using-custom-softplus-activation-function
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 31
variables: [dense/kernel, dense/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import models, layers
np.random.seed(0)
tf.random.set_seed(0)


def my_softplus(z):
    return tf.math.log(tf.exp(tf.cast(z, tf.float32)) + 1)


print(my_softplus([-3.0, -1.0, 0.0, 2.0]).numpy())

# a subset of MNIST as mnist.load_data() returns it: raw 0..255 pixels, never normalised
x_train = np.random.randint(0, 256, size=(512, 28, 28)).astype("float32")
y_train = np.random.randint(0, 10, size=(512,))
x_val, partial_x_train = x_train[:128], x_train[128:]
y_val, partial_y_train = y_train[:128], y_train[128:]

model2 = models.Sequential()
model2.add(layers.Input((28, 28)))
model2.add(layers.Flatten())
model2.add(layers.Dense(16, activation=my_softplus))
model2.add(layers.Dense(16, activation="relu"))
model2.add(layers.Dense(10, activation="softmax"))

model2.compile(optimizer="rmsprop", loss=tf.keras.losses.SparseCategoricalCrossentropy(),
               metrics=["accuracy"])

history = model2.fit(partial_x_train, partial_y_train, epochs=2, batch_size=64,
                     validation_data=(x_val, y_val), verbose=0)
print("loss per epoch:", history.history["loss"])
print("nan in weights:", any(np.isnan(w).any() for w in model2.get_weights()))
