"""Healthy control adapted from the keras.io guide "Training & evaluation with
the built-in methods" (multi-input, multi-output ticket classifier): title
and body text plus tag flags go in, a ticket priority (regression) and a
department (classification) come out, trained with per-output losses and
loss_weights. Kept on purpose because they look suspicious but are fine: a
frozen (trainable=False) embedding for the body text, a layer that adds an
activity regulariser with add_loss, a per-output dict of losses, and a
callback that reads weights with .numpy() for logging (outside any tape).
Every trainable variable receives a gradient and the total loss goes down.
---
source: https://github.com/keras-team/keras-io/blob/master/guides/training_with_built_in_methods.py
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow import keras
from tensorflow.keras import layers

num_tags = 12
num_words = 200
num_departments = 4


class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-3 * tf.reduce_sum(tf.square(inputs)))
        return inputs


title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(num_tags,), name="tags")

title_features = layers.Embedding(num_words, 16, name="title_embedding")(title_input)
body_embedding = layers.Embedding(num_words, 16, name="body_embedding")
body_embedding.trainable = False                      # frozen on purpose
body_features = body_embedding(body_input)
title_features = layers.LSTM(16, name="title_lstm")(title_features)
body_features = layers.LSTM(8, name="body_lstm")(body_features)
x = layers.concatenate([title_features, body_features, tags_input])
x = ActivityRegularizationLayer(name="act_reg")(x)
priority_pred = layers.Dense(1, name="priority")(x)
department_pred = layers.Dense(num_departments, name="department")(x)

model = keras.Model(inputs=[title_input, body_input, tags_input],
                    outputs={"priority": priority_pred, "department": department_pred})
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-2),
    loss={"priority": keras.losses.MeanSquaredError(),
          "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
    loss_weights={"priority": 1.0, "department": 0.2},
)


class WeightLogger(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        k = self.model.get_layer("priority").kernel
        print(f"epoch {epoch}: loss={logs['loss']:.4f} |priority kernel|={float(np.abs(k.numpy()).sum()):.3f}")


title_data = np.random.randint(num_words, size=(256, 10))
body_data = np.random.randint(num_words, size=(256, 20))
tags_data = np.random.randint(2, size=(256, num_tags)).astype("float32")
priority_targets = (tags_data[:, :3].sum(axis=1, keepdims=True) / 3.0).astype("float32")
dept_targets = np.eye(num_departments)[tags_data[:, :2].astype(int) @ np.array([1, 2])].astype("float32")

frozen_before = body_embedding.get_weights()[0].copy()
history = model.fit({"title": title_data, "body": body_data, "tags": tags_data},
                    {"priority": priority_targets, "department": dept_targets},
                    epochs=6, batch_size=32, verbose=0, callbacks=[WeightLogger()])
losses = history.history["loss"]
print("first loss %.4f -> last loss %.4f" % (losses[0], losses[-1]))
print("frozen body embedding unchanged:", np.allclose(frozen_before, body_embedding.get_weights()[0]))
