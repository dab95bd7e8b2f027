"""The user wanted the gradient of the loss with respect to an intermediate activation
(the output of a Dense layer inside a Sequential model), e.g. for layer-wise
attributions. They ran the model eagerly inside a GradientTape and then asked for
tape.gradient(loss, model.layers[1].output). `layer.output` is the symbolic tensor
from the model's construction graph, not the eager tensor that was computed inside
the tape, so it is not a source the tape ever saw (TF 2.0 returned None; current
Keras raises because a KerasTensor is not a tape tensor). The fix, as in the
thread, is to run the layers one by one inside the tape, keep their outputs, and
differentiate with respect to those tensors (or build a functional sub-model that
returns the intermediate output alongside the prediction).
---
source: https://github.com/tensorflow/tensorflow/issues/33478
framework: both
outcome: error
cause: wrong_sources
static: false
also: [unwatched_tensor, disconnected]
line: 48
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

x_train = np.random.rand(64, 28, 28).astype("float32")
y_train = np.random.randint(0, 10, size=(64,))
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)

model = tf.keras.models.Sequential([
    tf.keras.Input(shape=(28, 28)),
    tf.keras.layers.Flatten(name="flatten"),
    tf.keras.layers.Dense(128, name="dense"),
    tf.keras.layers.ReLU(name="relu"),
    tf.keras.layers.Dense(10, name="logits")
])

loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

images, labels = next(iter(train_ds))

with tf.GradientTape() as tape:
    predictions = model(images)
    loss = loss_object(labels, predictions)

print("loss:", float(loss))
print("source passed to tape.gradient:", type(model.layers[1].output).__name__)
print(tape.gradient(loss, model.layers[1].output))
