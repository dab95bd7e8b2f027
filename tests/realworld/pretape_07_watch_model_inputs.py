"""TF2 quickstart training step extended to get the gradient of the loss w.r.t. the input images: the step watches and differentiates `model.inputs` (the model's symbolic Input placeholders) instead of the `images` tensor actually fed to the model; tape.watch rejects the KerasTensor placeholders with a ValueError.

---
source: https://github.com/tensorflow/tensorflow/issues/31264
framework: both
outcome: error
cause: unwatched_tensor
line: [30, 31, 33]
also: [wrong_sources]
static: false
variables: [images]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.Input(shape=(28, 28)),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(10),
])
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam()


def train_step(images, labels):
    with tf.GradientTape() as tape:
        predictions = model(images)
        tape.watch(model.inputs)
        loss = loss_object(labels, predictions)
    input_grads = tape.gradient(loss, model.inputs)
    print("input grads:", input_grads)
    saliency = tf.reduce_max(tf.abs(input_grads[0]), axis=0)
    return saliency


images = tf.constant(np.random.rand(16, 28, 28).astype(np.float32))
labels = tf.constant(np.random.randint(0, 10, 16))
print(train_step(images, labels).shape)
