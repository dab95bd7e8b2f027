"""Eager-mode ResNet training loop that asks the tape for `model.variables` instead of `model.trainable_variables`; the BatchNormalization moving mean/variance are among them, get None gradients and Keras warns that gradients do not exist for them.

---
source: https://github.com/tensorflow/tensorflow/issues/26404
framework: both
outcome: warning
cause: unused_variable
line: [58, 59]
also: [wrong_sources]
variables: [moving_mean, moving_variance]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def identity_block(x, filters, stage):
    shortcut = x
    x = layers.Conv2D(filters, 3, padding="same", name=f"res{stage}_branch2a")(x)
    x = layers.BatchNormalization(name=f"bn{stage}_branch2a")(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", name=f"res{stage}_branch2b")(x)
    x = layers.BatchNormalization(name=f"bn{stage}_branch2b")(x)
    return layers.Activation("relu")(layers.add([x, shortcut]))


def ResNet(num_classes=10):
    inp = keras.Input((16, 16, 3))
    x = layers.Conv2D(8, 3, padding="same", name="conv1")(inp)
    x = layers.BatchNormalization(name="bn_conv1")(x)
    x = layers.Activation("relu")(x)
    x = identity_block(x, 8, "2a")
    x = identity_block(x, 8, "2b")
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inp, layers.Dense(num_classes, name="fc1000")(x), name="resnet")


def compute_loss(prediction, label, operation="L2"):
    if operation == "L2":
        return tf.reduce_mean(tf.square(prediction - label))
    return tf.reduce_mean(keras.losses.categorical_crossentropy(label, prediction, from_logits=True))


model = ResNet()
optimizer = keras.optimizers.SGD(learning_rate=0.01)
images = np.random.rand(8, 16, 16, 3).astype("float32")
labels = keras.utils.to_categorical(np.random.randint(0, 10, 8), 10).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)

for epoch in range(2):
    for x, label in dataset:
        with tf.GradientTape() as tape:
            prediction = model(x, training=True)
            loss = compute_loss(prediction, label, operation="L2")
        grads = tape.gradient(loss, model.variables)
        optimizer.apply_gradients(zip(grads, model.variables))
    print("epoch", epoch, "loss", float(loss), "None grads:", sum(g is None for g in grads))
