"""TensorFlow mixed-precision guide, custom training loop: global policy mixed_float16,
a float32 softmax output layer, a LossScaleOptimizer; the loss is scaled before
tape.gradient (scaled float16 gradients) and the optimizer unscales them when applying
(Keras 3 API: scale_loss + apply_gradients instead of get_scaled_loss /
get_unscaled_gradients). The float32 master weights train.

---
source: https://github.com/tensorflow/docs/blob/master/site/en/guide/mixed_precision.ipynb
framework: keras3
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
from tensorflow import keras
from tensorflow.keras import layers, mixed_precision

mixed_precision.set_global_policy("mixed_float16")

inputs = keras.Input(shape=(32,), name="digits")
x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
x = layers.Dense(64, activation="relu", name="dense_2")(x)
x = layers.Dense(10, name="dense_logits")(x)
outputs = layers.Activation("softmax", dtype="float32", name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
print("compute dtype", model.layers[1].compute_dtype, "variable dtype", model.layers[1].variable_dtype)

optimizer = keras.optimizers.RMSprop(learning_rate=1e-3)
optimizer = mixed_precision.LossScaleOptimizer(optimizer)
loss_object = keras.losses.SparseCategoricalCrossentropy()

x_train = np.random.rand(256, 32).astype("float32")
y_train = np.random.randint(0, 10, 256)
train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(256).batch(32)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        predictions = model(x)
        loss = loss_object(y, predictions)
        scaled_loss = optimizer.scale_loss(loss)
    scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)
    optimizer.apply_gradients(zip(scaled_gradients, model.trainable_variables))
    return loss


before = [v.numpy().copy() for v in model.trainable_variables]
losses = []
for epoch in range(4):
    epoch_loss = [float(train_step(x, y)) for x, y in train_dataset]
    losses.append(np.mean(epoch_loss))
print("loss", losses[0], "->", losses[-1], "scale", float(optimizer.dynamic_scale))
assert all(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
assert losses[-1] < losses[0]
print("ok")
