"""Healthy: the keras.io guide "Writing a training loop from scratch" (TensorFlow
version). A functional MLP is trained with an explicit `tf.GradientTape` inside a
`@tf.function` `train_step`, a separate `test_step`, stateful accuracy metrics that are
reset each epoch, and a layer that adds an activity-regularization loss through
`self.add_loss`, summed into the step's loss via `model.losses`. All variables get
gradients; the loss decreases.

---
source: https://github.com/keras-team/keras-io/blob/master/guides/writing_a_training_loop_from_scratch.py
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)


class ActivityRegularizationLayer(keras.layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * tf.reduce_sum(inputs))
        return inputs


inputs = keras.Input(shape=(16,), name="digits")
x1 = keras.layers.Dense(32, activation="relu")(inputs)
x2 = keras.layers.Dense(32, activation="relu")(x1)
x2 = ActivityRegularizationLayer()(x2)
outputs = keras.layers.Dense(4, name="predictions")(x2)
model = keras.Model(inputs=inputs, outputs=outputs)

optimizer = keras.optimizers.SGD(learning_rate=1e-2)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
val_acc_metric = keras.metrics.SparseCategoricalAccuracy()

x_all = np.random.rand(256, 16).astype("float32")
y_all = (x_all[:, :4].argmax(axis=1)).astype("int32")
train_dataset = tf.data.Dataset.from_tensor_slices((x_all[:192], y_all[:192])).batch(32)
val_dataset = tf.data.Dataset.from_tensor_slices((x_all[192:], y_all[192:])).batch(32)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss_value = loss_fn(y, logits)
        loss_value += sum(model.losses)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    train_acc_metric.update_state(y, logits)
    return loss_value


@tf.function
def test_step(x, y):
    val_logits = model(x, training=False)
    val_acc_metric.update_state(y, val_logits)


def mean_loss():
    return float(np.mean([loss_fn(y, model(x)).numpy() for x, y in train_dataset]))


first = mean_loss()
epochs = 15
for epoch in range(epochs):
    for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
        loss_value = train_step(x_batch_train, y_batch_train)
    train_acc = train_acc_metric.result()
    train_acc_metric.reset_state()
    for x_batch_val, y_batch_val in val_dataset:
        test_step(x_batch_val, y_batch_val)
    val_acc = val_acc_metric.result()
    val_acc_metric.reset_state()

last = mean_loss()
assert last < first, (first, last)
print("data loss", round(first, 4), "->", round(last, 4))
