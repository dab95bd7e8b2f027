"""A user wants to visualise what a filter of an intermediate VGG16 layer
responds to: build `activation_model = Model(model.input,
model.get_layer('block3_conv1').output)`, feed a random image, take the mean
activation of filter 0 as the loss, and do gradient ascent on the image. Inside a
GradientTape that watches the input they call `activation_model.predict(inputs)`,
compute `np.mean(preds[:, :, :, 0])` and then
`tape.gradient(tf.convert_to_tensor(loss), inputs)`, which returns None. Root
cause (per the answer): `predict` runs its own loop and returns a NumPy array, and
`np.mean` is NumPy too, so nothing connecting the loss to the watched input is
recorded on the tape. Fix: call `activation_model(inputs)` and use
`tf.reduce_mean`. (VGG16 is shrunk to a few randomly initialised conv blocks that
keep its layer names; no weights are downloaded. Under tf-keras the `predict`
call itself raises "LookupError: No gradient defined for operation
'IteratorGetNext'" because the watched input flows into predict's iterator.)
---
source: https://whosebug.com/question/4531662/How-to-compute-gradients-of-a-filter-s-activation-of-an-intermediate-layer-with-respect-to-an-input-image-in-Tensorflow-2-0
framework: keras3
outcome: gradient_none
cause: predict_in_tape
line: 51
also: [numpy_conversion]
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, Model

tf.keras.utils.set_random_seed(0)


def small_vgg():
    img = layers.Input(shape=(None, None, 3), name="input_1")
    x = layers.Conv2D(8, 3, padding="same", activation="relu", name="block1_conv1")(img)
    x = layers.MaxPooling2D(name="block1_pool")(x)
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="block2_conv1")(x)
    x = layers.MaxPooling2D(name="block2_pool")(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="block3_conv1")(x)
    x = layers.MaxPooling2D(name="block3_pool")(x)
    return Model(img, x, name="vgg16")


model = small_vgg()
inputs = tf.convert_to_tensor(np.random.random((1, 32, 32, 3)).astype("float32"))

activation_model = Model(inputs=model.input,
                         outputs=model.get_layer("block3_conv1").output)

with tf.GradientTape() as tape:
    tape.watch(inputs)
    preds = activation_model.predict(inputs, verbose=0)
    loss = np.mean(preds[:, :, :, 0])  # mean activation of filter 0

grads = tape.gradient(tf.convert_to_tensor(loss), inputs)
print("grads:", grads)
