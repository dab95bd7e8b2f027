"""A CIFAR-10 MLP experiment on weight initialisation: every Dense layer (two ReLU hidden
layers and the softmax output) is built with kernel_initializer=Zeros() (biases are zeros
by default). The first hidden layer outputs relu(0) = 0 for every image, and the ReLU passes
back a gradient of exactly 0, so both hidden layers get all-zero gradients; the output
kernel's gradient is h^T * delta with h = 0, also exactly zero. Only the output bias moves
(it just learns the class frequencies), so the loss stays near ln(10) = 2.3026 and the first
layer's weights are still all zero after training. Use a random initializer (the default
glorot_uniform, or he_normal for ReLU).
---
source: https://github.com/AliPakzad/DeepLearning-WeightInitialization-Impact-CIFAR10
framework: both
outcome: trains_silently
cause: zero_gradient
line: [34, 35, 36]
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias, dense_2/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(0)
np.random.seed(0)

X_train = np.random.rand(512, 32, 32, 3).astype("float32")
y_train = np.random.randint(0, 10, size=(512, 1))

# define zero initializer
zero_init = tf.keras.initializers.Zeros()

model = keras.models.Sequential([
    keras.layers.Input(shape=[32, 32, 3]),
    keras.layers.Flatten(),
    keras.layers.Dense(50, activation='relu', kernel_initializer=zero_init),
    keras.layers.Dense(50, activation='relu', kernel_initializer=zero_init),
    keras.layers.Dense(10, activation='softmax', kernel_initializer=zero_init)
])

model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(X_train, y_train, epochs=5, batch_size=64, verbose=0)
print("loss per epoch:", [round(l, 4) for l in history.history["loss"]])

# printing layer 1 weights after training
layer1_weights = model.layers[1].get_weights()[0]
print("layer 1 weights still all zero:", bool(np.all(layer1_weights == 0)))
