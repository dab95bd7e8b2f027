"""Two cascaded models trained as if on two machines, one tape each: tape2 records model2 on the `features` produced under tape1 but never watches them, so the gradient passed back to model1 (d loss / d features) is None, and tape1.gradient(features, ..., output_gradients=None) silently trains model1 on the sum of its outputs instead of the loss, giving different results from the single-tape version.

---
source: https://github.com/tensorflow/tensorflow/issues/36540
framework: both
outcome: gradient_none
cause: unwatched_tensor
line: [36, 37]
static: false
variables: [features]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

model1 = tf.keras.Sequential([tf.keras.Input(shape=(20,)), tf.keras.layers.Dense(16, activation="relu")])
model2 = tf.keras.Sequential([tf.keras.Input(shape=(16,)), tf.keras.layers.Dense(10)])
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer1 = tf.keras.optimizers.SGD(0.1)
optimizer2 = tf.keras.optimizers.SGD(0.1)

x_batch_train = np.random.rand(32, 20).astype(np.float32)
y_batch_train = np.random.randint(0, 10, 32)

with tf.GradientTape(persistent=True) as tape:
    features = model1(x_batch_train)
    logits = model2(features)
    loss_value = loss_fn(y_batch_train, logits)
reference_grads1 = tape.gradient(loss_value, model1.trainable_variables)

# "computer 1"
with tf.GradientTape() as tape1:
    features = model1(x_batch_train)
# "computer 2"
with tf.GradientTape(persistent=True) as tape2:
    logits = model2(features)
    loss_value = loss_fn(y_batch_train, logits)
grads2 = tape2.gradient(loss_value, model2.trainable_variables)
grads_pass = tape2.gradient(loss_value, features)
print("grads_pass:", grads_pass)
# back on "computer 1"
grads1 = tape1.gradient(features, model1.trainable_variables, output_gradients=grads_pass)
print("model1 kernel grad matches single-tape version:",
      np.allclose(grads1[0].numpy(), reference_grads1[0].numpy(), atol=1e-6))
optimizer1.apply_gradients(zip(grads1, model1.trainable_variables))
optimizer2.apply_gradients(zip(grads2, model2.trainable_variables))
