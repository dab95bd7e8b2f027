"""A user wants a gating network that scales its input by a single learnable
weight before a softmax. They write the scaling as a Keras `Lambda` layer whose
function creates the weight with `K.variable(1.0, name='w_g')` and multiplies the
input by it, then notice that `model.summary()` reports 0 parameters and ask
whether `w` will ever be updated. It will not: a variable created inside a Lambda
function is not tracked as a layer weight, so it is not among the model's
trainable weights (in the 2016 Keras it silently never trained; current Keras
versions refuse outright: tf-keras raises "The following Variables were created
within a Lambda layer" when the Lambda is applied; Keras 3 builds a model with no
trainable weights, warns so in `fit`, then raises "tf.function only supports
singleton tf.Variables" when the step re-creates the variable).
The answer: write a custom Layer that creates `w` with `add_weight` in `build`.
---
source: https://github.com/keras-team/keras/issues/4608
framework: both
outcome: error
cause: untracked_variable
line: [36, 33]
variables: [w_g]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K

tf.keras.utils.set_random_seed(0)
N = 11
my_input = keras.Input(shape=(N,), name="input")


def scale(x):
    w = K.variable(1.0, name="w_g")
    return x * w

scaled = keras.layers.Lambda(scale, name="softmax_scale")(my_input)
my_out = keras.layers.Activation("softmax", name="softmax")(scaled)
gating = keras.Model(my_input, my_out, name="gating")
print("trainable weights:", [v.name for v in gating.trainable_weights])

gating.compile(optimizer="sgd", loss="categorical_crossentropy")
x = np.random.rand(32, N).astype("float32")
y = np.eye(N)[np.random.randint(0, N, 32)].astype("float32")
gating.fit(x, y, epochs=2, verbose=0)
