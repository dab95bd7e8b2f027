"""Segmentation FCN with a flattened (pixels, classes) softmax output compiled with
loss = 1 - Mean_IOU(y_true, y_pred), reusing the repository's Mean IOU metric: it argmaxes the
prediction into class labels and counts pixels, so model.fit finds no gradient for any weight.

---
source: https://github.com/Golbstein/KerasExtras/issues/1
framework: both
outcome: error
cause: nondifferentiable_op
line: 28
also: [integer_cast]
variables: [conv2d/kernel, conv2d/bias, conv2d_1/kernel, conv2d_1/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras import layers, models

MAX_LABEL = 3


def Mean_IOU_tensorflow_2(y_true, y_pred):
    nb_classes = K.int_shape(y_pred)[-1]
    iou = []
    true_pixels = K.argmax(y_true, axis=-1)
    pred_pixels = K.argmax(y_pred, axis=-1)
    void_labels = K.equal(K.sum(y_true, axis=-1), 0)
    for i in range(0, nb_classes):  # exclude first label (background) and last label (void)
        true_labels = K.equal(true_pixels, i) & ~void_labels
        pred_labels = K.equal(pred_pixels, i) & ~void_labels
        inter = tf.cast(true_labels & pred_labels, tf.int32)
        union = tf.cast(true_labels | pred_labels, tf.int32)
        legal_batches = K.sum(tf.cast(true_labels, tf.int32), axis=1) > 0
        ious = K.sum(inter, axis=1) / K.sum(union, axis=1)
        iou.append(K.mean(ious[legal_batches]))
    iou = tf.stack(iou)
    legal_labels = ~tf.math.is_nan(iou)
    iou = iou[legal_labels]
    return K.mean(iou)


def iou_loss(y_true, y_pred):
    return 1 - Mean_IOU_tensorflow_2(y_true, y_pred)


# the output of the net is flattened: (M*N, #Classes), labels one-hot encoded
inp = layers.Input((16, 16, 3))
x = layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
x = layers.Conv2D(MAX_LABEL + 1, 1, activation="softmax")(x)
out = layers.Reshape((16 * 16, MAX_LABEL + 1))(x)
model = models.Model(inp, out)
model.compile(optimizer="adam", loss=iou_loss, metrics=[Mean_IOU_tensorflow_2])

X = np.random.rand(8, 16, 16, 3).astype("float32")
labels = np.random.randint(0, MAX_LABEL + 1, (8, 16 * 16))
y = np.eye(MAX_LABEL + 1, dtype="float32")[labels]
model.fit(X, y, batch_size=4, epochs=1, verbose=0)
print("fit done")
