"""keras.io transfer-learning guide: a base model (with BatchNormalization) is frozen with
base_model.trainable = False and called with training=False, the new head is trained with
fit; then base_model.trainable = True, the model is RECOMPILED with a low learning rate
and fit again, so the base now fine-tunes. Frozen weights in phase 1 are intended.

---
source: https://github.com/keras-team/keras-io/blob/master/guides/transfer_learning.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
from tensorflow import keras

base_model = keras.Sequential(
    [
        keras.Input(shape=(16, 16, 3)),
        keras.layers.Conv2D(8, 3, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Conv2D(8, 3, activation="relu"),
    ],
    name="base",
)
# Pretend these weights come from pre-training (no download here).
base_model.trainable = False

inputs = keras.Input(shape=(16, 16, 3))
x = base_model(inputs, training=False)
x = keras.layers.GlobalAveragePooling2D()(x)
x = keras.layers.Dropout(0.2)(x)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)

model.compile(
    optimizer=keras.optimizers.Adam(),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy()],
)
x_train = np.random.rand(64, 16, 16, 3).astype("float32")
y_train = (x_train.mean(axis=(1, 2, 3)) > 0.5).astype("float32")

base_before = [v.numpy().copy() for v in base_model.weights]
head_before = [v.numpy().copy() for v in model.layers[-1].weights]
model.fit(x_train, y_train, epochs=2, batch_size=16, verbose=0)
assert all(np.allclose(b, v.numpy()) for b, v in zip(base_before, base_model.weights))
assert all(not np.allclose(b, v.numpy()) for b, v in zip(head_before, model.layers[-1].weights))

# Fine-tuning: unfreeze the base model and recompile.
base_model.trainable = True
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy()],
)
base_trainable_before = [v.numpy().copy() for v in base_model.trainable_weights]
history = model.fit(x_train, y_train, epochs=2, batch_size=16, verbose=0)
print("fine-tune loss", history.history["loss"][0], "->", history.history["loss"][-1])
changed = [not np.allclose(b, v.numpy()) for b, v in zip(base_trainable_before, base_model.trainable_weights)]
assert all(changed), changed
print("ok")
