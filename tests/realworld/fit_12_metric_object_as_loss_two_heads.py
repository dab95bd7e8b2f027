"""Two-head classifier trained on a tf.data pipeline; each head's loss is a custom function that calls a
keras.metrics.SparseCategoricalCrossentropy(ignore_class=-1) object. A Metric accumulates the batch value
into its state variables and returns the stored mean, so the loss is read back from variables and
model.fit finds no gradient for any weight (the keras.losses function version trains).

---
source: https://github.com/keras-team/keras/issues/19150
framework: keras3
outcome: error
cause: variable_assign
line: 38
variables: [conv2d/kernel, conv2d/bias, output1/kernel, output1/bias, output2/kernel, output2/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
import numpy as np
import keras
from keras.models import Model
from keras.layers import Input, Dense, Conv2D, GlobalAveragePooling2D
from keras.losses import sparse_categorical_crossentropy
from keras.optimizers import Adam

num_samples = 64
input_shape = (32, 32, 3)
num_classes1 = 5
num_classes2 = 3

x_dummy = np.random.rand(num_samples, *input_shape).astype(np.float32)
y1_dummy = np.random.randint(-1, num_classes1, size=num_samples)
y2_dummy = np.random.randint(-1, num_classes2, size=num_samples)
dataset = tf.data.Dataset.from_tensor_slices((x_dummy, (y1_dummy, y2_dummy)))
dataset = dataset.shuffle(buffer_size=num_samples).batch(batch_size=32)

# Doesn't run
sparse_cc = keras.metrics.SparseCategoricalCrossentropy(from_logits=False, ignore_class=-1)
def custom_loss(y_true, y_pred):
    loss = sparse_cc(y_true, y_pred)
    return loss


input_layer = Input(shape=input_shape)
x = Conv2D(8, 3, activation="relu")(input_layer)
x = GlobalAveragePooling2D()(x)
output1 = Dense(num_classes1, activation="softmax", name="output1")(x)
output2 = Dense(num_classes2, activation="softmax", name="output2")(x)
model = Model(inputs=input_layer, outputs=[output1, output2])
model.compile(optimizer=Adam(), loss=[custom_loss, custom_loss])
model.fit(dataset, epochs=1, verbose=0)
print("fit done")
