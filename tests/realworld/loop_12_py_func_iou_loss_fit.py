"""Segmentation model compiled with a Python IoU function wrapped as the Keras loss via tf.py_func (tf.compat.v1.py_func in TF2); the loss value comes from NumPy, so model.fit finds no gradient for any variable (keras2 only: under Keras 3 the same script first fails on the py_func output's unknown rank, "Cannot iterate over a shape with unknown rank").

---
source: https://github.com/keras-team/keras/issues/11137
framework: keras2
outcome: error
cause: numpy_function
line: 27
variables: [conv2d/kernel, conv2d/bias, conv2d_1/kernel, conv2d_1/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow
import tensorflow as tf


def IoU(label, pred):
    pred_mask = pred > 0.5
    label_mask = label > 0.5
    inter = np.logical_and(pred_mask, label_mask).sum()
    union = np.logical_or(pred_mask, label_mask).sum()
    return np.float64(1.0 - (inter + 1.0) / (union + 1.0))


def loss_fn(label, pred):
    return tensorflow.compat.v1.py_func(IoU, (label, pred), tf.float64)


model = tf.keras.Sequential([
    tf.keras.Input((16, 16, 1)),
    tf.keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
    tf.keras.layers.Conv2D(1, 1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss=loss_fn)

images = np.random.rand(8, 16, 16, 1).astype(np.float32)
masks = (np.random.rand(8, 16, 16, 1) > 0.5).astype(np.float32)
model.fit(images, masks, epochs=1, batch_size=4, verbose=0)
print("trained")
