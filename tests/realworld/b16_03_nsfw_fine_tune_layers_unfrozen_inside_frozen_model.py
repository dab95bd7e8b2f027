"""The nsfw_model fine-tuning script: it loads the model trained in the first
phase, sets `model.trainable = False`, then walks `model.layers` and sets
`layer.trainable = True` on every layer from 'conv2d_56' on (False before it),
compiles with SGD and fits again. The user reported that after 100 epochs the
fine-tuned model behaved exactly like the one it started from: the same
accuracy, recall and precision for every class. `model.trainable = False`
freezes the model as a whole, and a frozen model has no trainable weights
whatever its layers' own flags say, so the fit updates nothing (Keras 3 warns
"The model does not have any trainable weights"). Fix: drop
`model.trainable = False` and freeze only the layers before 'conv2d_56'.
Shrunk to a five-layer CNN "pretrained" for one epoch on random 32x32 images,
saved to and loaded from /tmp.
---
source: https://github.com/GantMan/nsfw_model/issues/33
framework: both
outcome: trains_silently
cause: frozen_model
line: [49, 55]
variables: [conv2d_56, conv2d_57, predictions]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tempfile
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers
from tensorflow.keras.models import load_model
from tensorflow.keras.optimizers import SGD

tf.keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.random((32, 32, 32, 3)).astype("float32")
y = tf.keras.utils.to_categorical(rng.integers(0, 5, 32), 5)

first = tf.keras.Sequential([
    tf.keras.Input((32, 32, 3)),
    layers.Conv2D(8, 3, activation="relu", name="conv2d_55"),
    layers.Conv2D(8, 3, activation="relu", name="conv2d_56"),
    layers.Conv2D(8, 3, activation="relu", name="conv2d_57"),
    layers.GlobalAveragePooling2D(name="pool"),
    layers.Dense(5, activation="softmax", name="predictions"),
])
first.compile(optimizer="adam", loss="categorical_crossentropy")
first.fit(x, y, epochs=1, verbose=0)
path = os.path.join(tempfile.mkdtemp(), "nsfw.32x32.keras")
first.save(path)

model = load_model(path)
# Unlock a few layers deep in the network
model.trainable = False
set_trainable = False
for layer in model.layers:
    if layer.name == 'conv2d_56':
        set_trainable = True
    if set_trainable:
        layer.trainable = True
    else:
        layer.trainable = False

opt = SGD(momentum=.9)
model.compile(loss='categorical_crossentropy', optimizer=opt, metrics=['accuracy'])
before = [w.copy() for w in model.get_weights()]
history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
changed = [bool(np.abs(a - b).max() > 0) for a, b in zip(before, model.get_weights())]
print("loss:", history.history["loss"], "weights changed:", changed)
