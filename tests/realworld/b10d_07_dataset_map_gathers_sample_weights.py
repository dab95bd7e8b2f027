"""A statistical model with learnable per-sample weights fed by the Dataset API.
The user keeps one trainable weight per training example in a `tf.Variable`
and, because the pipeline shuffles, passes the sample indices through
`tf.data` and looks the weights up inside `dataset.map(...)` with `tf.gather`.
The batch then carries `(x, y, w)` into a compiled (`tf.function`) train step
that computes a weighted loss inside a GradientTape. The model's Dense weights
train, but the gradient for the per-sample weight variable is None ("Tensorflow
Dataset API: gradient is None"). As Allen Lavoie explained on the linked Stack
Overflow question, which the user then turned into this feature request
(acknowledged, never implemented), gradients do not propagate through a tf.data pipeline: the map function runs
inside the input pipeline, not under the tape, so `w` reaches the step as plain
data. The fix is to pass only the indices through the Dataset and do
`tf.gather(sample_weights, idx)` inside the tape.
---
source: https://github.com/tensorflow/tensorflow/issues/19556
framework: both
outcome: warning
cause: outside_tape
line: 41
also: [disconnected]
variables: [sample_weights]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

N = 256
x_data = np.random.randn(N, 4).astype("float32")
y_data = (x_data @ np.array([[1.], [-2.], [0.5], [3.]], "float32")).astype("float32")
idx = np.arange(N, dtype="int64")

sample_weights = tf.Variable(tf.ones([N]), name="sample_weights")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, name="dense")])
optimizer = keras.optimizers.Adam(0.05)

dataset = tf.data.Dataset.from_tensor_slices((x_data, y_data, idx))
dataset = dataset.shuffle(N).map(
    lambda x, y, i: (x, y, tf.nn.softplus(tf.gather(sample_weights, i))))
dataset = dataset.batch(32)

train_vars = model.trainable_variables + [sample_weights]


@tf.function
def train_step(x, y, w):
    with tf.GradientTape() as tape:
        pred = model(x, training=True)
        loss = tf.reduce_sum(w * tf.square(pred[:, 0] - y[:, 0])) / tf.reduce_sum(w)
    grads = tape.gradient(loss, train_vars)
    optimizer.apply_gradients(zip(grads, train_vars))
    return loss, grads[-1] is None


for epoch in range(3):
    for x, y, w in dataset:
        loss, w_grad_is_none = train_step(x, y, w)
    print(epoch, float(loss), "sample_weights grad is None:", bool(w_grad_is_none))
