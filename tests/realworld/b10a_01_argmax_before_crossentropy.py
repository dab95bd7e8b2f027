"""A user follows the TensorFlow "custom training step" recipe (GradientTape loop
with SparseCategoricalCrossentropy on logits) and then wants to switch to the
`categorical_crossentropy` loss. Thinking the loss needs class predictions, they
take `tf.argmax` of the logits inside the tape, cast it back to the label dtype
and feed that to the loss. `tape.gradient` returns None for every weight and
`optimizer.apply_gradients` raises "ValueError: No gradients provided for any
variable". Root cause: `tf.argmax` has no gradient, so every path from the
weights to the loss goes through a non-differentiable op. The answer: do not
argmax; one-hot encode the labels and pass the model's (softmax) output
directly to categorical_crossentropy.
---
source: https://xue-jishu.com/tensorflow-zi-ding-yi-xun-lian-bu-zhou-shi-yong-bu-tong-de-sun-shi-han-shu
framework: both
outcome: error
cause: nondifferentiable_op
line: 41
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

model = keras.Sequential([
    keras.Input(shape=(3, 1)),
    keras.layers.Flatten(name="flatten"),
    keras.layers.Dense(16, activation="relu", name="dense"),
    keras.layers.Dense(4, name="dense_1"),
])
optimizer = keras.optimizers.SGD(learning_rate=0.01)

# dummy sample data for testing (as in the question)
x_batch_train = tf.constant(np.random.rand(32, 3, 1), dtype="float32")
y_batch_train = tf.constant(np.random.randint(0, 4, size=(32,)), dtype="float32")

loss_fn = tf.keras.losses.get("categorical_crossentropy")
with tf.GradientTape() as tape:
    logits = model(x_batch_train, training=True)
    prediction = tf.cast(tf.argmax(logits, axis=-1), y_batch_train.dtype)
    loss_value = loss_fn(y_batch_train, prediction)
grads = tape.gradient(loss_value, model.trainable_weights)
print("grads:", grads)
optimizer.apply_gradients(zip(grads, model.trainable_weights))
