"""The user trains an image-segmentation model that should output a binary mask.
Plain MSE gave masks whose values stayed well below 1, so they wrote a custom loss
that first thresholds the prediction, `tf.where(y_pred >= 0.5, 1.0, 0.0)`, and
takes the squared difference to the true mask. `model.fit` then fails with
"No gradients provided for any variable". The answer names the cause: `tf.where`
here selects between the constants 1.0 and 0.0, so the thresholded prediction
does not depend on `y_pred` in a differentiable way (the comparison has no
gradient) and no gradient reaches any weight. Fix: compute the loss on the
continuous (sigmoid) output and round only at prediction time.
---
source: http://xiaobeizi.cn/x/6JuuQQjucd
framework: both
outcome: error
cause: nondifferentiable_op
line: 32
variables: [conv_1, conv_2, mask]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)

IMG = 16
x_train = np.random.rand(32, IMG, IMG, 3).astype("float32")
y_train = (np.random.rand(32, IMG, IMG, 1) > 0.5).astype("float32")


def loss(y_true, y_pred):
    tresholded_pred = tf.where(y_pred >= 0.5, 1.0, 0.0)
    sq_diff = tf.square(y_true - tresholded_pred)
    return tf.reduce_mean(sq_diff, axis=-1)


def build_model():
    inputs = keras.Input((IMG, IMG, 3))
    x = layers.Conv2D(8, 3, padding="same", activation="relu", name="conv_1")(inputs)
    x = layers.Conv2D(8, 3, padding="same", activation="relu", name="conv_2")(x)
    outputs = layers.Conv2D(1, 1, activation="sigmoid", name="mask")(x)
    return keras.Model(inputs, outputs)


model = build_model()
model.compile(optimizer="adam", loss=loss)
model.fit(x_train, y_train, batch_size=8, epochs=2, verbose=2)
