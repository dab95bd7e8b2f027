"""keras.io "making new layers and models via subclassing" (Keras 3): layers written only
with keras.ops (a Linear layer with add_weight, an activity regularizer using add_loss,
a counter kept in a NON-trainable weight updated with assign_add), composed into an
MLPBlock and trained with a GradientTape loop that adds model.losses, applies with
optimizer.apply, and logs loss_value.numpy() and gradient norms as NumPy AFTER
tape.gradient. Every trainable weight trains; the counter is not meant to.

---
source: https://github.com/keras-team/keras-io/blob/master/guides/making_new_layers_and_models_via_subclassing.py
framework: keras3
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
import keras
from keras import ops


class Linear(keras.layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return inputs


class MLPBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.counter = ComputeSum(8)
        self.linear_1 = Linear(32)
        self.regularization = ActivityRegularizationLayer(1e-2)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = self.counter(inputs)
        x = ops.relu(self.linear_1(x))
        x = self.regularization(x)
        x = ops.relu(self.linear_2(x))
        return self.linear_3(x)


model = MLPBlock()
optimizer = keras.optimizers.SGD(learning_rate=1e-2)
loss_fn = keras.losses.MeanSquaredError()
x_train = np.random.rand(128, 8).astype("float32")
y_train = x_train.sum(axis=1, keepdims=True)
dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)

model(x_train[:1])
before = [ops.convert_to_numpy(v).copy() for v in model.trainable_weights]
epoch_losses = []
for epoch in range(6):
    losses = []
    for step, (x, y) in enumerate(dataset):
        with tf.GradientTape() as tape:
            logits = model(x)
            loss_value = loss_fn(y, logits)
            loss_value += sum(model.losses)
        grads = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply(grads, model.trainable_weights)
        losses.append(loss_value.numpy())
        grad_norms = [float(np.linalg.norm(g.numpy())) for g in grads]
    epoch_losses.append(float(np.mean(losses)))
    print(f"epoch {epoch} loss {epoch_losses[-1]:.4f} last grad norms {np.round(grad_norms, 3)}")
assert epoch_losses[-1] < epoch_losses[0]
assert all(not np.allclose(b, ops.convert_to_numpy(v)) for b, v in zip(before, model.trainable_weights))
print("ok")
