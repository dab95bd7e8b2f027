"""Binary classifier trained in a custom training loop with a count-based loss
(tensorflow#58614). Each batch of 100 is filtered on an input feature (only some rows count),
and `custom_loss` counts the correct predictions with
`tf.math.count_nonzero(tf.math.equal(tf.round(prediction), labels))`, derives the incorrect
count from the static batch size and divides by the number of 0/1 labels (found with
`tf.where(...).shape[0]`). The loss value looks fine, but round, equal and count_nonzero have
no gradient (the count is an int64), so `tape.gradient(loss, model.trainable_weights)` is all
None and apply_gradients raises "No gradients provided for any variable". A differentiable
surrogate (cross-entropy, or a soft count from the sigmoid outputs) is needed.
---
source: https://github.com/tensorflow/tensorflow/issues/58614
framework: both
outcome: error
cause: nondifferentiable_op
also: [integer_cast]
line: 37
variables: [dense]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)


class Trainer:
    def __init__(self):
        self.model = keras.Sequential([
            keras.Input(shape=(6,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        self.optimizer = keras.optimizers.Adam(1e-3)

    def custom_loss(self, output, prediction):
        correct_count = tf.math.count_nonzero(tf.math.equal(tf.round(prediction), tf.cast(output, tf.float32)))
        incorrect_count = prediction.shape[0] - correct_count

        incorrect_label_count = tf.where(output == 0.0).shape[0]
        correct_label_count = tf.where(output == 1.0).shape[0]
        loss = tf.cast(incorrect_count, tf.float32) / float(incorrect_label_count + correct_label_count)
        return loss

    def train_step(self, inputs, labels):
        with tf.GradientTape() as tape:
            prediction = self.model(inputs, training=True)
            # only some rows of the batch count, chosen from the input
            keep = inputs[:, 0] > 0.0
            output = tf.boolean_mask(labels, keep)
            prediction = tf.boolean_mask(prediction, keep)
            loss = self.custom_loss(output, prediction)
        grads = tape.gradient(loss, self.model.trainable_weights)
        print("loss:", float(loss), "grads:", grads)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_weights))
        return loss


x = np.random.normal(size=(200, 6)).astype("float32")
y = np.random.randint(0, 2, size=(200, 1)).astype("float32")
trainer = Trainer()
for step in range(2):
    trainer.train_step(x[step * 100:(step + 1) * 100], y[step * 100:(step + 1) * 100])
