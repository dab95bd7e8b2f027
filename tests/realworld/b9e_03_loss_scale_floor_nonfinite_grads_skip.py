"""A user followed the TensorFlow mixed-precision guide for a custom training loop (mixed_float16
policy, float32 softmax output, LossScaleOptimizer with dynamic loss scaling, get_scaled_loss /
get_unscaled_gradients) on a model whose loss is very large; to show it they multiplied the loss by
a big constant. The dynamic loss scale halved at every step, reached 1 and stayed there while the
gradients were still inf, so every single step was skipped and the weights never changed. The
cause: with a loss this large the float16 backward pass overflows even without any scaling (the
dense_logits gradients are inf at scale 1); the tf.keras LossScaleOptimizer never lowers the scale
below 1 and skips the update whenever any gradient is non-finite (the maintainer, reedwm, describes
exactly this, and gives a workaround: subclass LossScaleOptimizer so the effective scale can drop
below 1). Simplest fix: keep the loss in a float16-safe range (rescale it / normalise the targets).
Guide code shrunk (64 units, random data instead of MNIST); the removed `experimental` API is
replaced by set_global_policy / LossScaleOptimizer(opt). Keras 3's LossScaleOptimizer has no
get_scaled_loss (AttributeError) and no floor at 1, so this is a tf-keras case.
---
source: https://github.com/tensorflow/tensorflow/issues/38357
framework: keras2
outcome: trains_silently
cause: nonfinite_gradient
line: [55, 39]
variables: [dense_logits]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import mixed_precision

tf.keras.utils.set_random_seed(0)

policy = mixed_precision.Policy('mixed_float16')
mixed_precision.set_global_policy(policy)
print('Compute dtype: %s' % policy.compute_dtype)
print('Variable dtype: %s' % policy.variable_dtype)

LARGE_CONSTANT = 1e6

optimizer = keras.optimizers.RMSprop()
optimizer = mixed_precision.LossScaleOptimizer(optimizer)

inputs = keras.Input(shape=(784,), name='digits')
num_units = 64
x = layers.Dense(num_units, activation='relu', name='dense_1')(inputs)
x = layers.Dense(num_units, activation='relu', name='dense_2')(x)
x = layers.Dense(10, name='dense_logits')(x)
outputs = layers.Activation('softmax', dtype='float32', name='predictions')(x)
model = keras.Model(inputs=inputs, outputs=outputs)
loss_object = keras.losses.SparseCategoricalCrossentropy()


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        predictions = model(x)
        loss = loss_object(y, predictions) * LARGE_CONSTANT
        scaled_loss = optimizer.get_scaled_loss(loss)
    scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)
    gradients = optimizer.get_unscaled_gradients(scaled_gradients)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


x_train = np.random.rand(512, 784).astype('float32')
y_train = np.random.randint(0, 10, size=(512,))
train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(64)

for epoch in range(3):
    for x, y in train_dataset:
        loss = train_step(x, y)
    print('Epoch {}: loss={} loss_scale={}'.format(epoch, float(loss), float(optimizer.loss_scale)))
