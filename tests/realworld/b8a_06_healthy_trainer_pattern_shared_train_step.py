"""Healthy: the keras.io "Trainer pattern" recipe. A `MyTrainer(keras.Model)` wraps any
Keras model and overrides `train_step`: the forward pass `self.model(x, training=True)`
and the loss run inside the `GradientTape`, gradients are taken for
`self.trainable_variables` (which include the wrapped model's weights, tracked through
the `self.model` attribute) and applied with the compiled optimizer. The same trainer is
shared by a Sequential and a Functional model, each compiled with its own optimizer.
Random MNIST-shaped data replaces the download; both models train and the loss drops.
---
source: https://github.com/keras-team/keras-io/blob/master/examples/keras_recipes/trainer_pattern.py
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

np.random.seed(0)
tf.random.set_seed(0)
keras.utils.set_random_seed(0)

# Random stand-in for MNIST, standardized like the recipe
x_train = np.random.randint(0, 256, size=(256, 28, 28)).astype("float32") / 255.0
y_train = (x_train[:, :14].mean(axis=(1, 2)) * 10).astype("int64") % 10


class MyTrainer(keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self.model(x, training=True)  # Forward pass
            # Compute loss value
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)

        # Compute gradients
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)

        # Update weights
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))

        # Update metrics (includes the metric that tracks the loss)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        # Return a dict mapping metric names to current value.
        return {m.name: m.result() for m in self.metrics}

    def call(self, x):
        # Equivalent to `call()` of the wrapped keras.Model
        x = self.model(x)
        return x


# A model defined using Sequential API
model_a = keras.models.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, activation="softmax"),
    ]
)

# A model defined using Functional API
func_input = keras.Input(shape=(28, 28, 1))
x = keras.layers.Flatten()(func_input)
x = keras.layers.Dense(48, activation="relu")(x)
x = keras.layers.Dropout(0.4)(x)
func_output = keras.layers.Dense(10, activation="softmax")(x)

model_b = keras.Model(func_input, func_output)

trainer_1 = MyTrainer(model_a)
trainer_2 = MyTrainer(model_b)

trainer_1.compile(
    keras.optimizers.SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
h1 = trainer_1.fit(x_train, y_train, epochs=3, batch_size=64, verbose=0)

trainer_2.compile(
    keras.optimizers.Adam(learning_rate=0.003),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
h2 = trainer_2.fit(x_train[..., None], y_train, epochs=3, batch_size=64, verbose=0)

print("trainer_1 loss:", [round(v, 4) for v in h1.history["loss"]])
print("trainer_2 loss:", [round(v, 4) for v in h2.history["loss"]])
print("final loss:", round(h2.history["loss"][-1], 4))
