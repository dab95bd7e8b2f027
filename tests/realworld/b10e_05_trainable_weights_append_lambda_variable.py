"""A user wants to add an extra trainable scalar `y` to a tf.keras model: the
model's Dense output is multiplied by `y` in a `Lambda` layer, and, to make Keras
train it, they append the variable to `model.trainable_weights`. In TF 1.12 this
made `y` a trained weight; from TF 1.13 on (and in every TF2 Keras) the model
trains its Dense layer but `y` never moves. Root cause: `trainable_weights` is a
freshly built list on every access, so appending to it changes nothing, and a
variable captured by a Lambda function is not tracked by the layer (tf-keras even
warns "The following Variables were used a Lambda layer's call ... but are not
present in its tracked objects"). `y` is therefore not among the variables `fit`
differentiates. Fix: create `y` with `add_weight` in a small subclassed Layer.
(Reconstructed from the issue's description of its code.)
---
source: https://github.com/tensorflow/tensorflow/issues/26792
framework: both
outcome: trains_silently
cause: untracked_variable
line: [33, 32]
variables: [trainable_y]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

X = np.random.rand(64, 4).astype("float32")
Y = 3.0 * X.sum(axis=1, keepdims=True)

inputs = keras.Input(shape=(4,), name="x")
d = keras.layers.Dense(1, name="dense")(inputs)
y = tf.Variable(1.0, trainable=True, name="trainable_y")
out = keras.layers.Lambda(lambda t: t * y, name="scale_by_y")(d)
model = keras.Model(inputs, out)
model.trainable_weights.append(y)
print("trainable weights:", [v.name for v in model.trainable_weights])

model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
hist = model.fit(X, Y, epochs=3, verbose=0)
print("loss:", [round(v, 3) for v in hist.history["loss"]])
print("y after fit:", y.numpy())
