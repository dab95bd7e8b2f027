"""keras.io functional-API guide, ticket-ranking model: integer token inputs (title, body)
go through a shared-vocabulary Embedding and LSTMs, are concatenated with binary tags, and
feed two heads (priority, department) compiled with a loss per output and loss_weights
{priority: 1.0, department: 0.2}; trained with model.fit on dicts. Integer inputs
carry no gradient by nature; the embeddings and both heads train.

---
source: https://github.com/keras-team/keras-io/blob/master/guides/functional_api.py
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
from tensorflow.keras import layers

num_tags, num_words, num_departments = 12, 100, 4

title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(num_tags,), name="tags")

title_features = layers.Embedding(num_words, 16)(title_input)
body_features = layers.Embedding(num_words, 16)(body_input)
title_features = layers.LSTM(16)(title_features)
body_features = layers.LSTM(8)(body_features)
x = layers.concatenate([title_features, body_features, tags_input])
priority_pred = layers.Dense(1, name="priority")(x)
department_pred = layers.Dense(num_departments, name="department")(x)

model = keras.Model(
    inputs=[title_input, body_input, tags_input],
    outputs={"priority": priority_pred, "department": department_pred},
)
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-2),
    loss={
        "priority": keras.losses.BinaryCrossentropy(from_logits=True),
        "department": keras.losses.CategoricalCrossentropy(from_logits=True),
    },
    loss_weights={"priority": 1.0, "department": 0.2},
)

title_data = np.random.randint(num_words, size=(64, 10))
body_data = np.random.randint(num_words, size=(64, 20))
tags_data = np.random.randint(2, size=(64, num_tags)).astype("float32")
priority_targets = np.random.random(size=(64, 1))
dept_targets = np.random.randint(2, size=(64, num_departments))

before = [v.numpy().copy() for v in model.trainable_variables]
history = model.fit(
    {"title": title_data, "body": body_data, "tags": tags_data},
    {"priority": priority_targets, "department": dept_targets},
    epochs=4,
    batch_size=16,
    verbose=0,
)
print("loss", history.history["loss"][0], "->", history.history["loss"][-1])
changed = [not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables)]
assert all(changed), changed
print("ok")
