"""Grad-CAM following the keras.io recipe on a transfer-learning classifier. The user
built the classifier by copying every layer of a frozen VGG16 backbone into a new
Sequential (`for layer in backbone.layers: net.add(layer)`) and then a Dense head. The
Sequential reuses the backbone's Input, so `net.get_layer(conv_layer_name).output`
still names the conv activations of the backbone's *own* call, while `net.output` comes
from the Sequential's second call of the same layers. In cam_model the predictions are
therefore not computed from the conv_out tensor that is returned next to them, and
`tape.gradient(class_out, conv_out)` is None ("Grad cam has recorded no gradient").
Fix: take the conv output from the same graph as the predictions, e.g. build the
classifier functionally on `backbone.output` (or call the layers on one new Input) and
use that model's layer outputs. (Under Keras 3 the copied Sequential has no `.output`
at all, so the report's behaviour shows under tf-keras, the reporter's TF 2.8.)
---
source: https://whosebug.com/question/6458817/Gradients-are-None-while-implementing-GradCam
framework: keras2
outcome: error
cause: wrong_sources
static: false
line: 58
also: [disconnected]
variables: [conv_out]
xfail: "cam_model's two outputs come from two calls of the same layers (a Sequential that re-adds the backbone's layers): gradtrace points at the model call (line 61), not at the outputs' definition"
"""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications import VGG16
from tensorflow.keras.layers import Dense, Flatten
from tensorflow.keras.models import Sequential

tf.random.set_seed(0)
np.random.seed(0)
size = (32, 32)
CLASSES = ["cat", "dog", "bird"]

backbone = VGG16(
    include_top=False,
    weights=None,
    input_shape=(*size, 3),
    pooling='max'
)
backbone.trainable = False
net = Sequential()
for layer in backbone.layers:
    net.add(layer)
net.add(Flatten())
net.add(Dense(16, activation='relu'))
net.add(Dense(8, activation='relu'))
net.add(Dense(len(CLASSES), activation='softmax'))

model = net
conv_layer_name = 'block5_conv3'
image = np.random.rand(1, *size, 3).astype("float32")
cam_model = tf.keras.models.Model(
    [model.inputs],
    [model.get_layer(conv_layer_name).output, model.output]
)

with tf.GradientTape() as tape:
    conv_out, predictions = cam_model(image)
    class_pred = tf.argmax(predictions, axis=-1)
    class_out = tf.gather(predictions, class_pred, axis=1, batch_dims=1)

grads = tape.gradient(class_out, conv_out)

if grads is None:  # grads is None
    raise Exception("Grad cam has recorded no gradient")
print(grads.shape)
