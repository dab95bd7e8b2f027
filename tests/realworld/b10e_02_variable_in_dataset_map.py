"""The user wants a learnable input transformation (a trainable scale and offset,
`w` and `b`) applied in the input pipeline: the dataset's `map` function computes
`x * w + b` before batching, and a small Keras regressor is trained in a
GradientTape loop over the batches, with `w` and `b` added to the list of
variables to update. The Keras layers train, but `tape.gradient` returns None for
`w` and `b` (they never move). The report ("Backpropagate through tf.data",
TF 1.14) asks for gradients to flow back through tf.data; it was closed as a
"contributions welcome" feature request: tf.data functions run as a separate,
non-differentiable pipeline, so the variables are read outside the tape and the
training step receives constants.
Fix: apply the transformation inside the model / inside the tape (e.g. a layer
holding `w` and `b`), not in `Dataset.map`. (The issue text gives no code; the
program is reconstructed from its description.)
---
source: https://github.com/tensorflow/tensorflow/issues/30672
framework: both
outcome: gradient_none
cause: outside_tape
line: 37
variables: [input_scale, input_offset]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

w = tf.Variable(tf.ones([3]), name="input_scale")
b = tf.Variable(tf.zeros([3]), name="input_offset")

features = np.random.rand(64, 3).astype("float32")
targets = (features @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")).astype("float32")


def transform(x, y):
    return x * w + b, y


dataset = tf.data.Dataset.from_tensor_slices((features, targets)).map(transform).batch(16)

model = keras.Sequential([
    keras.Input(shape=(3,)),
    keras.layers.Dense(8, activation="relu", name="dense"),
    keras.layers.Dense(1, name="dense_1"),
])
optimizer = keras.optimizers.SGD(0.05)
loss_fn = keras.losses.MeanSquaredError()
train_vars = model.trainable_variables + [w, b]

for epoch in range(2):
    for x_batch, y_batch in dataset:
        with tf.GradientTape() as tape:
            pred = model(x_batch, training=True)
            loss = loss_fn(y_batch, pred)
        grads = tape.gradient(loss, train_vars)
        optimizer.apply_gradients(
            [(g, v) for g, v in zip(grads, train_vars) if g is not None])
    print("epoch", epoch, "loss", float(loss))
print("grad for w, b:", grads[-2], grads[-1])
print("w:", w.numpy(), "b:", b.numpy())
