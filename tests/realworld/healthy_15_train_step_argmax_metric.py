"""keras.io "customizing what happens in fit" (TensorFlow backend): a CustomModel
overrides train_step, computes the loss with self.compute_loss inside the tape, applies
gradients, and then updates an accuracy metric built from tf.argmax of the predictions
and a tf.cast of the comparison; argmax only feeds the metric, never the loss.

---
source: https://github.com/keras-team/keras-io/blob/master/guides/custom_train_step_in_tensorflow.py
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


class CustomModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.acc_tracker = keras.metrics.Mean(name="argmax_acc")

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        predicted_class = tf.argmax(y_pred, axis=-1, output_type=tf.int32)
        correct = tf.cast(tf.equal(predicted_class, tf.cast(y, tf.int32)), tf.float32)
        self.loss_tracker.update_state(loss)
        self.acc_tracker.update_state(tf.reduce_mean(correct))
        return {"loss": self.loss_tracker.result(), "argmax_acc": self.acc_tracker.result()}

    @property
    def metrics(self):
        return [self.loss_tracker, self.acc_tracker]


inputs = keras.Input(shape=(20,))
hidden = keras.layers.Dense(32, activation="relu")(inputs)
outputs = keras.layers.Dense(3)(hidden)
model = CustomModel(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

x = np.random.random((200, 20)).astype("float32")
y = (x[:, :3].argmax(axis=1)).astype("int32")
before = [v.numpy().copy() for v in model.trainable_variables]
history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
print("loss", history.history["loss"][0], "->", history.history["loss"][-1],
      "acc", history.history["argmax_acc"][-1])
assert history.history["loss"][-1] < history.history["loss"][0]
assert all(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
print("ok")
