"""Healthy program. Following the yolov3-tf2 input pipeline shown in the post
(`class_table = tf.lookup.StaticHashTable(...)` built once, then
`dataset.map(lambda x: parse_tfrecord(x, class_table, size))`), the class names
stored as strings are turned into integer ids inside the tf.data map function by
a `tf.lookup` table, and the features are standardised with a non-trainable
`tf.Variable` holding the feature mean, also read inside the map. Neither is
meant to learn: they are fixed preprocessing state, so reading them outside the
training step is correct. A small classifier trained with `model.fit` on the
mapped dataset updates all its weights and its loss falls. (Parsed tensors stand
in for TFRecords; the classifier stands in for YOLOv3.)
---
source: https://www.cnblogs.com/luoganttcc/p/16604508.html
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)
class_names = ["aeroplane", "bicycle", "bird", "boat", "cat", "person"]
num_classes = len(class_names)

class_table = tf.lookup.StaticHashTable(
    tf.lookup.KeyValueTensorInitializer(
        tf.constant(class_names), tf.range(num_classes, dtype=tf.int64)), -1)

rng = np.random.default_rng(0)
label_ids = rng.integers(0, num_classes, size=256)
raw_labels = np.array([class_names[i] for i in label_ids])
centers = rng.normal(size=(num_classes, 6)).astype("float32") * 3.0
raw_features = (centers[label_ids] + rng.normal(size=(256, 6)) + 5.0).astype("float32")

feature_mean = tf.Variable(raw_features.mean(axis=0), trainable=False, name="feature_mean")


def parse_example(features, class_text):
    label = class_table.lookup(class_text)
    x = features - feature_mean
    return x, tf.one_hot(label, num_classes)


dataset = (tf.data.Dataset.from_tensor_slices((raw_features, raw_labels))
           .map(parse_example)
           .shuffle(256, seed=0)
           .batch(32))

model = keras.Sequential([
    keras.Input(shape=(6,)),
    keras.layers.Dense(16, activation="relu", name="dense"),
    keras.layers.Dense(num_classes, activation="softmax", name="classes"),
])
model.compile(optimizer=keras.optimizers.Adam(0.01),
              loss="categorical_crossentropy", metrics=["accuracy"])
before = [v.numpy().copy() for v in model.trainable_variables]
hist = model.fit(dataset, epochs=5, verbose=0)
changed = [not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables)]
print("loss:", [round(v, 3) for v in hist.history["loss"]])
print("accuracy:", round(hist.history["accuracy"][-1], 3))
print("all trainable variables updated:", all(changed))
