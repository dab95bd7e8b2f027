"""Grad-CAM on a "model in a model". The user first trains an "inner" CNN
regressor/classifier, freezes it, and trains an "outer" model that uses the
inner model as a layer. For Grad-CAM they need the output of the inner model's
last conv layer, which is not reachable from the outer model's graph (building
`keras.Model(model.inputs, [inner.get_layer(...).output, model.output])` gives
"Graph disconnected"), so they build a separate `last_conv_layer_model` for the
conv activations and call the full outer model for the predictions, both inside
the tape. `tape.gradient(class_channel, last_conv_layer_output)` returns None
and `grads.shape` fails with "AttributeError: 'NoneType' object has no
attribute 'shape'", even after unfreezing the inner model. Root cause: the
predictions come from a second, independent forward pass; `class_channel` does
not depend on the `last_conv_layer_output` tensor that was produced by the
first pass. The thread has no maintainer answer; the standard fix is a single
forward pass that returns both tensors (rebuild
the outer graph on top of the inner model's layers, e.g. call the inner conv
model and then the remaining layers on its output). The user's colab is not
quoted in the thread; the program follows the keras.io Grad-CAM code they
describe.
---
source: https://github.com/tensorflow/tensorflow/issues/59652
framework: both
outcome: error
cause: disconnected
also: [wrong_sources]
line: [64, 65]
variables: [last_conv_layer_output]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

x_train = np.random.rand(64, 28, 28, 1).astype("float32")
y_train = np.random.randint(0, 10, size=(64,))

# "inner" model, trained first
inner_in = keras.Input(shape=(28, 28, 1))
h = keras.layers.Conv2D(8, 3, activation="relu", name="conv_1")(inner_in)
h = keras.layers.Conv2D(8, 3, activation="relu", name="last_conv")(h)
h = keras.layers.GlobalAveragePooling2D(name="gap")(h)
inner_out = keras.layers.Dense(10, activation="softmax", name="inner_head")(h)
inner = keras.Model(inner_in, inner_out, name="inner")
inner.compile("adam", "sparse_categorical_crossentropy")
inner.fit(x_train, y_train, epochs=1, verbose=0)

# freeze it and train an "outer" model over it
inner.trainable = False
outer_in = keras.Input(shape=(28, 28, 1))
z = inner(outer_in)
outer_out = keras.layers.Dense(10, activation="softmax", name="outer_head")(z)
model = keras.Model(outer_in, outer_out, name="outer")
model.compile("adam", "sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, verbose=0)
inner.trainable = True  # "even after unfreezing the inner model"

last_conv_layer_model = keras.Model(inner.inputs,
                                    inner.get_layer("last_conv").output)

img_array = x_train[:1]
pred_index = None
with tf.GradientTape() as tape:
    last_conv_layer_output = last_conv_layer_model(img_array)
    preds = model(img_array)
    if pred_index is None:
        pred_index = int(tf.argmax(preds[0]))
    class_channel = preds[:, pred_index]
print(class_channel.shape)
grads = tape.gradient(class_channel, last_conv_layer_output)
print(grads.shape)
pooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2))
