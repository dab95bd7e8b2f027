"""The user applies a sigmoid to the logits themselves (`tf.nn.sigmoid`) and feeds
the probabilities to Keras' `binary_crossentropy`. When the logits are large (the
report uses a logit of 100 with label 1, here a logistic-regression model on
unnormalised 16-bit features produces logits in the tens of thousands) the hand-computed
gradient should be about -1, but Keras returns exactly 0. The answer in the thread:
the sigmoid saturates to 1.0 (or 0.0) in float32 and Keras' crossentropy clips the
probability to [eps, 1-eps]; the clip has zero gradient outside its range, so every
saturated sample contributes a zero gradient. With all samples saturated the
model silently never learns. Fix: pass the logits and use
`binary_crossentropy(..., from_logits=True)` / `tf.nn.sigmoid_cross_entropy_with_logits`
(and normalise the inputs). The step runs eagerly, as the user's
probability tensor is not traced back to its Sigmoid op there; inside a
`tf.function` today's Keras spots the Sigmoid op and silently uses the logits.
---
source: https://github.com/keras-team/keras/issues/9664
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: [43, 44]
variables: [logits/kernel, logits/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

# unnormalised 16-bit sensor readings (0..65535), labels from a simple rule
x_train = np.random.randint(0, 65536, size=(256, 20)).astype("float32")
y_train = (x_train[:, :10].sum(1) > x_train[:, 10:].sum(1)).astype("float32")[:, None]

inputs = keras.Input(shape=(20,))
outputs = keras.layers.Dense(1, name="logits")(inputs)
model = keras.Model(inputs, outputs)
optimizer = keras.optimizers.SGD(learning_rate=0.01)


def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        sigmoid_x = tf.nn.sigmoid(logits)
        loss = tf.reduce_mean(keras.losses.binary_crossentropy(y, sigmoid_x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss, grads


ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(64)
for epoch in range(3):
    for x, y in ds:
        loss, grads = train_step(x, y)
    print("epoch", epoch, "loss", float(loss),
          "max |grad|", [float(tf.reduce_max(tf.abs(g))) for g in grads])
