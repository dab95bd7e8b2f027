"""Learning y = 2x - 1 with a small functional model whose every Dense layer, including the
single-unit output, uses ReLU. In most runs the loss sticks at one value for all 500 epochs:
when the output unit (or the 2-unit layer under it) starts with a non-positive
pre-activation for every sample, ReLU outputs 0 and passes back a gradient of exactly 0, so
all kernels and biases receive zero gradients and the model predicts 0 forever (the MSE of
predicting 0 is 25). Use a linear output layer for regression.
---
source: https://community.deeplearning.ai/t/loss-values-do-not-change/324182
framework: keras3
outcome: trains_silently
cause: zero_gradient
static: false
line: 34
variables: [dense, dense_1, dense_2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(1)

x = np.array([[-1.0, 0.0 , 1.0, 2.0, 3.0, 4.0, 5.0]])
y = np.array([[-3.0, -1.0, 1.0, 3.0, 5.0, 7.0, 9.0]])
x = np.reshape(x,(7,1))
y = np.reshape(y,(7,1))

from tensorflow import keras
from keras import Model
from keras.layers import Input, Dense

input_1 = Input(shape=(1,))
dense_1 = Dense(4, activation='relu')(input_1)
dense_2 = Dense(2, activation='relu')(dense_1)
dense_3 = Dense(1, activation='relu')(dense_2)
model_2 = Model(inputs= input_1, outputs = dense_3)
model_2.compile(loss = keras.losses.MeanSquaredError(),
                optimizer = keras.optimizers.Adam(0.001))
history = model_2.fit(x,y, epochs=100, verbose=0)
print("first/last loss:", round(history.history["loss"][0], 4), round(history.history["loss"][-1], 4))
print(model_2.predict(np.array([[10.0]]), verbose=0))
