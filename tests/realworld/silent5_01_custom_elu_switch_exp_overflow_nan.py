"""Rebuilding ELU as a custom activation to learn how custom activations work:
`K.switch(K.greater(x, 0), x, K.exp(x) - 1)` (here in the plain-TensorFlow form the
user also tried, `tf.where(tf.greater(x, 0), x, tf.exp(x) - 1)`), registered with
`get_custom_objects()` and used in an MLP on MNIST-shaped
pixels that were reshaped to 784 but never scaled (values 0..255). The
pre-activations of the first Dense layer reach the hundreds, where `exp(x)` overflows to inf.
The forward pass is fine (the switch picks `x` there), but the backward pass of the switch
sends a zero gradient into the unused `exp` branch and exp's gradient multiplies it by
exp(x) = inf: 0 * inf = NaN. The very first update writes NaN into every weight, the loss is
nan from then on and the accuracy never improves ("the rebuilt ELU doesn't train at all";
the built-in ELU, whose kernel never evaluates exp of large values, trains). Fix: evaluate
exp only where it is safe, `tf.exp(tf.minimum(x, 0.)) - 1`, or use the built-in `elu`
(scaling the inputs to [0, 1] also hides it).
---
source: https://github.com/keras-team/keras/issues/11057
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 43
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import Sequential
from tensorflow.keras.layers import Dense, Activation, Dropout
from tensorflow.keras.optimizers import SGD
from tensorflow.keras.utils import get_custom_objects, to_categorical

np.random.seed(0)
tf.random.set_seed(0)

# stands in for mnist.load_data(): uint8 pixels, labels 0..9
x_train = np.random.randint(0, 256, size=(256, 28, 28)).astype("uint8")
y_train = np.random.randint(0, 10, size=(256,))

x_train = x_train.reshape(x_train.shape[0], 28 * 28)
y_train = to_categorical(y_train)


def custom_activation(x):
    cond = tf.greater(x, 0)
    return tf.where(cond, x, tf.exp(x) - 1)


get_custom_objects().update({'custom_activation': Activation(custom_activation)})

model = Sequential([
    Dense(128, input_shape=x_train.shape[1:]),
    Activation(custom_activation),
    Dropout(0.2),
    Dense(10, activation='softmax'),
])
model.compile(loss='categorical_crossentropy', optimizer=SGD(), metrics=['accuracy'])
print([getattr(v, "path", v.name) for v in model.trainable_variables])

history = model.fit(x_train, y_train, batch_size=32, epochs=2, verbose=0)
print("loss per epoch:", history.history['loss'])
print("accuracy per epoch:", history.history['accuracy'])
print("nan in weights:", any(np.isnan(w).any() for w in model.get_weights()))
