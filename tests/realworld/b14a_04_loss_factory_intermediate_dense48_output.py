"""keras-team/keras#10910: a CNN classifier whose 48-unit sigmoid layer `Dense_48` should be
pushed away from 0.5 (a binary-code / hashing penalty). The user writes a loss factory
`c_loss(Dense_48, e)` returning `loss(y_true, y_pred) = categorical_crossentropy(y_true,
y_pred) - sum((Dense_48 - e)**2) / 48` and compiles with `loss=c_loss(Dense_48, e)`, where
`Dense_48` is the *symbolic* output of the functional graph captured at model-construction
time. Inside `fit` that KerasTensor is not the activation of the batch being trained: it is
not recorded on the training tape, so the penalty cannot reach `dense_48` (or the layers
before it). tf.keras 2 fails in `fit` with "You are passing KerasTensor(... 'tf.cast_2'
...), an intermediate Keras symbolic input/output, to a TF API that does not allow registering
custom dispatchers"; Keras 3 fails at the penalty line with "A KerasTensor cannot be used as
input to a TensorFlow function". Fix given in the thread: make the penalty part of the graph,
`model.add_loss(...)` of a term computed from `Dense_48` (Keras 2) / `self.add_loss` in a
layer that receives `Dense_48` as input, or output `Dense_48` as a second model output with
its own loss.
---
source: https://github.com/keras-team/keras/issues/10910
framework: both
outcome: error
cause: outside_tape
also: [disconnected]
line: 35
variables: [dense_48/kernel, dense_48/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Input, Conv2D, LeakyReLU, MaxPooling2D, Dropout, Flatten, Dense
from tensorflow.keras.models import Model

e = 0.5
def c_loss(Dense_48, e):
    def loss(y_true, y_pred):
        return (K.categorical_crossentropy(y_true, y_pred) - (K.sum((Dense_48 - e)**2)) * (1/48))
    return loss

num_classes = 5
visible = Input(shape=(32, 32, 3), name='visible')
conv_1 = Conv2D(8, kernel_size=4, activation='linear', name='conv_1')(visible)
lReLU_1 = LeakyReLU(0.1)(conv_1)
MaxPool_1 = MaxPooling2D((2, 2), padding='same')(lReLU_1)
Drop_1 = Dropout(0.25)(MaxPool_1)
conv_2 = Conv2D(16, kernel_size=3, activation='linear', name='conv_2')(Drop_1)
lReLU_2 = LeakyReLU(0.1)(conv_2)
MaxPool_2 = MaxPooling2D((2, 2), padding='same')(lReLU_2)
Drop_2 = Dropout(0.25)(MaxPool_2)
conv_3 = Conv2D(32, kernel_size=3, activation='linear', name='conv_3')(Drop_2)
lReLU_3 = LeakyReLU(0.1)(conv_3)
MaxPool_3 = MaxPooling2D((2, 2), padding='same')(lReLU_3)
Drop_3 = Dropout(0.4)(MaxPool_3)
Flat_1 = Flatten()(Drop_3)
Dense_128 = Dense(128, activation='linear', name='dense_128')(Flat_1)
lReLU_4 = LeakyReLU(0.1)(Dense_128)
Drop_4 = Dropout(0.4)(lReLU_4)
Dense_48 = Dense(48, activation='sigmoid', name='dense_48')(Drop_4)
output = Dense(num_classes, activation='softmax', name='output')(Dense_48)

model = Model(inputs=visible, outputs=output)
model.compile(loss=c_loss(Dense_48, e), optimizer='adam', metrics=['accuracy'])

x_train = np.random.rand(64, 32, 32, 3).astype('float32')
y_train = tf.keras.utils.to_categorical(np.random.randint(0, num_classes, 64), num_classes)
history = model.fit(x_train, y_train, batch_size=16, epochs=2, verbose=0)
print("loss per epoch:", history.history['loss'])
