"""The user wants the batch size inside a custom Keras loss and calls
K.eval(K.shape(y_true)) there, with prints around it ("Reached" / "Not reached").
The loss function is called on symbolic placeholders while Keras builds the training
graph, so there is nothing to evaluate yet: in the 2016 thread this failed with
"You must feed a value for placeholder tensor 'dense_4_target'", and in TF2
(model.fit traces the loss in a tf.function) K.eval tries .numpy() on a
SymbolicTensor and fails before any gradient exists. As the commenters explain, the
loss must stay symbolic: use K.shape(y_true)[0] (cast to float) directly, or
K.mean, instead of evaluating it.
---
source: https://github.com/keras-team/keras/issues/4075
framework: both
outcome: error
cause: numpy_conversion
line: 27
variables: [hidden/kernel, hidden/bias, out/kernel, out/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
tf.keras.utils.set_random_seed(0)


def custom_loss(y_true, y_pred):
    print("Reached")
    batch = K.eval(K.shape(y_true))[0]
    print("Not reached", batch)
    return K.sum(K.square(y_pred - y_true)) / batch


model = tf.keras.Sequential([
    tf.keras.Input(shape=(10,)),
    tf.keras.layers.Dense(16, activation="relu", name="hidden"),
    tf.keras.layers.Dense(1, name="out"),
])
model.compile(optimizer="adam", loss=custom_loss)
x = np.random.rand(64, 10).astype("float32")
y = np.random.rand(64, 1).astype("float32")
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
