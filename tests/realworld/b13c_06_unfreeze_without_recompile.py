"""Two-phase transfer learning as described in the post: a pre-trained base is frozen
(base_model.trainable = False), a new head is trained to convergence, then the base's
layers are unfrozen in a loop (layer.trainable = True) and training continues with
model.fit. The post's warning is exactly the bug reproduced here: setting
trainable = True is not enough, the model must be recompiled. Without compile() the
second fit reuses the train function (and optimizer variable list) built while the
base was frozen, so the base weights still receive no update: the fine-tuning phase
silently trains only the head. Both Keras 2 and Keras 3 behave this way. Fix: call
model.compile(...) (with a low learning rate) after unfreezing.
---
source: https://mikepietsch.com/tech/ai/19.03-fine-tuning-unfreezing-and-training-with-a-lower-learning-rate/
framework: both
outcome: trains_silently
cause: frozen_model
also: [untracked_variable]
line: [44, 45, 48]
variables: [base_conv1/kernel, base_conv1/bias, base_conv2/kernel, base_conv2/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers
tf.keras.utils.set_random_seed(0)

base_model = tf.keras.Sequential([
    tf.keras.Input(shape=(16, 16, 3)),
    layers.Conv2D(8, 3, activation="relu", name="base_conv1"),
    layers.Conv2D(8, 3, activation="relu", name="base_conv2"),
], name="base_model")
base_model.trainable = False

inputs = tf.keras.Input(shape=(16, 16, 3))
x = base_model(inputs, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(1, activation="sigmoid", name="head")(x)
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="binary_crossentropy")

X = np.random.rand(64, 16, 16, 3).astype("float32")
y = (X.mean(axis=(1, 2, 3)) > 0.5).astype("float32")[:, None]
model.fit(X, y, epochs=2, batch_size=16, verbose=0)          # phase 1: head only

for layer in base_model.layers:
    layer.trainable = True                                    # "the grand unfreezing"
base_model.trainable = True
base_before = [w.copy() for w in base_model.get_weights()]
head_before = model.get_layer("head").get_weights()[0].copy()
model.fit(X, y, epochs=2, batch_size=16, verbose=0)          # phase 2: fine-tune (no recompile)

print("trainable weights now:", len(model.trainable_weights))
print("base weights changed in phase 2:",
      any(not np.array_equal(a, b) for a, b in zip(base_model.get_weights(), base_before)))
print("head weights changed in phase 2:",
      not np.array_equal(model.get_layer("head").get_weights()[0], head_before))
