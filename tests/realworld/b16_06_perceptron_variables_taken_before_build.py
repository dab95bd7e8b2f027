"""Following the TF 2.0 tutorials for a simple perceptron, the user builds
`tf.keras.Sequential([tf.keras.layers.Dense(1)])` with no input shape, keeps
`params = model.trainable_variables` next to the model, and trains with a
GradientTape loop on `params`. The list is empty ("why do I get empty array at
tf.keras.Sequential(layers).trainable_variables?"): as the answer says, the
layers are not built yet, and a Keras model makes its variables only when it
first sees an input shape. The list taken before that stays empty, so the tape
is asked for nothing and `apply_gradients` fails with "not enough values to
unpack". Fix: pass an input shape (`keras.Input`), call `model.build`, or read
`model.trainable_variables` in the step, after the first call.
---
source: https://github.com/tensorflow/tensorflow/issues/26948
framework: keras3
outcome: error
cause: wrong_sources
line: [29]
variables: [dense]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(64, 2)).astype("float32")
y = (x[:, :1] + x[:, 1:] > 0).astype("float32")

model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid")])
params = model.trainable_variables
print("trainable variables:", params)
optimizer = tf.keras.optimizers.SGD(0.5)
loss_fn = tf.keras.losses.BinaryCrossentropy()
for epoch in range(3):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, params)
    optimizer.apply_gradients(zip(grads, params))
    print(epoch, float(loss))
