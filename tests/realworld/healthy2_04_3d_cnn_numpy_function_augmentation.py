"""3D CNN for CT-scan classification adapted from the keras.io "3D image classification from CT scans" example. The tf.data input pipeline calls NumPy code through `tf.numpy_function` (`tf_normalize`, `tf_rotate`, `tf_blur`, each a `@tf.function` with an input signature wrapping a NumPy helper that thresholds with boolean masks, rotates or blurs the volume) - all of it on the data before it reaches the model, so no variable is behind the NumPy functions and `model.fit` trains every layer. The NIfTI scans are replaced by random float64 volumes of 16x16x16 instead of 128^3, scipy's `ndimage.rotate`/`gaussian_filter` (scipy is not installed) by `np.rot90` and a NumPy box blur, the four conv blocks by two; `tf_normalize` also restores the static shape with `set_shape`, which Keras 3's `fit` needs ("as_list() is not defined on an unknown TensorShape" otherwise); two epochs.
---
source: https://github.com/keras-team/keras-io/blob/master/examples/vision/3D_image_classification.py
framework: both
outcome: trains_fine
cause: none
line: 0
variables: []
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import random

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)
random.seed(0)

SIZE = 16

# Random stand-in for process_scan() on the MosMedData scans (raw Hounsfield units).
rng = np.random.default_rng(0)
abnormal_scans = rng.uniform(-1200, 2000, size=(6, SIZE, SIZE, SIZE))
normal_scans = rng.uniform(-1200, 2000, size=(6, SIZE, SIZE, SIZE))
abnormal_labels = np.array([1 for _ in range(len(abnormal_scans))])
normal_labels = np.array([0 for _ in range(len(normal_scans))])

x_train = np.concatenate((abnormal_scans[:4], normal_scans[:4]), axis=0)
y_train = np.concatenate((abnormal_labels[:4], normal_labels[:4]), axis=0)
x_val = np.concatenate((abnormal_scans[4:], normal_scans[4:]), axis=0)
y_val = np.concatenate((abnormal_labels[4:], normal_labels[4:]), axis=0)


def normalize(volume):
    min = -1000
    max = 400
    volume = (volume - min) / (max - min)
    # rescale between 0-1
    volume[volume > 1] = 1.0
    volume[volume < 0] = 0.0
    volume = np.expand_dims(volume, axis=3)
    return volume


@tf.function(input_signature=[tf.TensorSpec((SIZE, SIZE, SIZE), tf.float64)])
def tf_normalize(volume):
    normalized_volume = tf.numpy_function(normalize, [volume], tf.float64)
    # numpy_function loses the static shape; Keras 3's fit needs it back
    normalized_volume.set_shape((SIZE, SIZE, SIZE, 1))
    return normalized_volume


def rotate(volume):
    # define some rotation angles (multiples of 90 degrees: scipy is not available)
    angles = [1, 2, 3]
    # pick angles at random
    angle = random.choice(angles)
    # rotate volume
    volume = np.rot90(volume, k=angle, axes=(0, 1)).copy()
    return volume


@tf.function(input_signature=[tf.TensorSpec((SIZE, SIZE, SIZE), tf.float64)])
def tf_rotate(volume):
    augmented_volume = tf.numpy_function(rotate, [volume], tf.float64)
    return augmented_volume


def blur(volume):
    # box blur along each axis (stand-in for scipy's gaussian_filter)
    for axis in range(3):
        volume = (np.roll(volume, 1, axis) + volume + np.roll(volume, -1, axis)) / 3.0
    return volume


@tf.function(input_signature=[tf.TensorSpec((SIZE, SIZE, SIZE), tf.float64)])
def tf_blur(volume):
    augmented_volume = tf.numpy_function(blur, [volume], tf.float64)
    return augmented_volume


def train_augment(volume, label):
    # define the augmentation functions
    augmentations = ["rotate", "blur", "normal"]
    # pick an augmentation at random
    augmentation = random.choice(augmentations)
    # augment data
    if augmentation == "rotate":
        volume = tf_rotate(volume)
    elif augmentation == "blur":
        volume = tf_blur(volume)
    elif augmentation == "normal":
        pass
    else:
        print("No augmentation selected!")
    # normalize
    volume = tf_normalize(volume)
    return volume, label


def validation_augment(volume, label):
    # normalize
    volume = tf_normalize(volume)
    return volume, label


# define data loaders
train_loader = tf.data.Dataset.from_tensor_slices((x_train, y_train))
validation_loader = tf.data.Dataset.from_tensor_slices((x_val, y_val))

batch_size = 2
# augment the on the fly during training
train_dataset = train_loader.shuffle(len(x_train)).map(train_augment).batch(batch_size)
# only rescale
validation_dataset = validation_loader.shuffle(len(x_val)).map(validation_augment).batch(batch_size)


def get_model(width=SIZE, height=SIZE, depth=SIZE):
    """Build a 3D convolutional neural network model."""

    inputs = keras.Input((width, height, depth, 1))

    x = layers.Conv3D(filters=4, kernel_size=3, activation="relu")(inputs)
    x = layers.MaxPool3D(pool_size=2)(x)
    x = layers.BatchNormalization()(x)

    x = layers.Conv3D(filters=8, kernel_size=3, activation="relu")(x)
    x = layers.MaxPool3D(pool_size=2)(x)
    x = layers.BatchNormalization()(x)

    x = layers.GlobalAveragePooling3D()(x)
    x = layers.Dense(units=16, activation="relu")(x)
    x = layers.Dropout(0.3)(x)

    outputs = layers.Dense(units=1, activation="sigmoid")(x)

    # Define the model.
    model = keras.Model(inputs, outputs, name="3dcnn")
    return model


# Build model.
model = get_model(width=SIZE, height=SIZE, depth=SIZE)

# Compile model.
initial_learning_rate = 0.0001
lr_schedule = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate, decay_steps=100000, decay_rate=0.96, staircase=True
)
model.compile(
    loss="binary_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=lr_schedule),
    metrics=["acc"],
)

# Define callbacks.
early_stopping_cb = keras.callbacks.EarlyStopping(monitor="val_acc", patience=15)

before = [v.numpy().copy() for v in model.trainable_variables]

# Train the model, doing validation at the end of each epoch
epochs = 2
history = model.fit(
    train_dataset,
    validation_data=validation_dataset,
    epochs=epochs,
    shuffle=True,
    verbose=0,
    callbacks=[early_stopping_cb],
)

changed = sum(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
print("loss:", history.history["loss"])
print("trainable variables changed: %d/%d" % (changed, len(before)))
assert np.all(np.isfinite(history.history["loss"]))
assert changed == len(before)
