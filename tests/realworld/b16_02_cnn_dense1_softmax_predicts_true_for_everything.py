"""A binary classifier on 99x25x2 feature maps: two Conv2D layers with ReLU, a
Flatten, then `Dense(1, activation='softmax')`, compiled with Adam and
categorical cross-entropy. The user reported that the network predicted "true"
for every input, and still did so after the answer was put into the input
itself. As the answer says, a softmax over one unit is exp(x)/exp(x) = 1 for
every input: the output is constant, the loss does not depend on any weight and
every gradient is zero, so training cannot move the model. No error is raised.
Fix: `Dense(1, activation='sigmoid')` with binary cross-entropy (or two units
with softmax and one-hot labels). Shrunk to 24x12x2 random maps whose label is
stored in the second channel, as in the report.
---
source: https://stats.stackexchange.com/questions/481881/convolutional-neural-network-fails-even-when-given-answer
framework: both
outcome: trains_silently
cause: zero_gradient
line: [36]
variables: [conv2d, dense]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Input, Conv2D, Flatten, Dense

tf.keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
labels = rng.integers(0, 2, size=(64, 1)).astype("float32")
train_X = rng.normal(size=(64, 24, 12, 2)).astype("float32")
train_X[..., 1] = labels[:, :, None]            # the answer is in the input

model = Sequential([
    Input((24, 12, 2)),
    Conv2D(8, kernel_size=3, activation="relu"),
    Conv2D(16, kernel_size=3, activation="relu"),
    Flatten(),
    Dense(1, activation='softmax'),
])
model.compile('adam', loss='categorical_crossentropy', metrics=['accuracy'])
history = model.fit(train_X, labels, epochs=2, batch_size=16, verbose=0)
preds = np.round(model.predict(train_X, verbose=0), 0)
print("loss", history.history["loss"], "predicted true:", int(preds.sum()), "of", len(preds))
