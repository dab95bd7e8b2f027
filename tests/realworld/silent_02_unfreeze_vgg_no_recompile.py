"""Transfer learning on a small VGG-like base: the top is trained with the base frozen, then the user unfreezes every layer of the nested base model and calls fit again without compiling again, so the base weights never change.

---
source: https://github.com/keras-team/keras/issues/9940
framework: both
outcome: trains_silently
cause: frozen_model
line: [47, 48]
also: [wrong_sources]
variables: [block1_conv1/kernel, block1_conv1/bias, block2_conv1/kernel, block2_conv1/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

layers = keras.layers


def small_vgg():
    return keras.Sequential([
        keras.Input((32, 32, 3)),
        layers.Conv2D(8, 3, activation="relu", padding="same", name="block1_conv1"),
        layers.MaxPooling2D(name="block1_pool"),
        layers.Conv2D(16, 3, activation="relu", padding="same", name="block2_conv1"),
        layers.MaxPooling2D(name="block2_pool"),
    ], name="vgg16")


vgg = small_vgg()
vgg.trainable = False
inputs = keras.Input((32, 32, 3))
x = vgg(inputs)
x = layers.Flatten()(x)
x = layers.Dense(32, activation="relu", name="fc1")(x)
outputs = layers.Dense(5, activation="softmax", name="predictions")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy", metrics=["accuracy"])

x_train = np.random.rand(64, 32, 32, 3).astype("float32")
y_train = keras.utils.to_categorical(np.random.randint(0, 5, 64), 5)
model.fit(x_train, y_train, batch_size=16, epochs=1, verbose=0)

# fine-tune the whole network
for layer in model.layers[1].layers:
    layer.trainable = True
history = model.fit(x_train, y_train, batch_size=16, epochs=2, verbose=0)
print("loss:", history.history["loss"])
before = [w.copy() for w in vgg.get_weights()]
model.fit(x_train, y_train, batch_size=16, epochs=1, verbose=0)
print("base weights changed:", [bool(np.abs(a - b).max() > 0) for a, b in zip(before, vgg.get_weights())])
