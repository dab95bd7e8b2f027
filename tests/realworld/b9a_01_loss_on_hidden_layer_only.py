"""The user builds input -> Dense(2) "hidden_a" -> Dense(1) "output" and, as an
experiment, trains it with a loss that only looks at the hidden activations
(`K.sum(hidden_a)`), never at `y_pred`. Keras stops with "An operation has `None`
for gradient", while the variant `K.sum(hidden_a) + 0*K.sum(y_pred)` runs. The
answer explains it: Keras asks for gradients of the loss with respect to every
trainable weight, and the output layer's kernel and bias take no part in a loss
built from `hidden_a` alone, so they get no gradient. Fix (from the answer):
freeze the output layer (`Dense(1, trainable=False)`) or make the loss touch
`y_pred`. Keras 3 cannot use the symbolic `hidden_a` inside a compiled loss any
more, so the step is written as a small GradientTape loop over a model that
shares m3's layers and also returns the hidden activations; the output layer
still gets None and the optimizer warns that gradients do not exist for it.
---
source: https://thinbug.com/q/51257037
framework: both
outcome: warning
cause: unused_variable
static: false
line: [33, 40]
variables: [output/kernel, output/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.models import Model

tf.keras.utils.set_random_seed(0)

input_1 = Input((5,))
hidden_a = Dense(2, name="hidden_a")(input_1)
output = Dense(1, name="output")(hidden_a)

m3 = Model(input_1, output)
m3_hidden = Model(input_1, [hidden_a, output])   # same layers, also exposes hidden_a


def myLoss(y_true, y_pred, hidden_a):
    return tf.reduce_sum(hidden_a)                    # (A)
    # return tf.reduce_sum(hidden_a) + 0*tf.reduce_sum(y_pred) # (B)


optimizer = keras.optimizers.Adam()

x = np.random.random(size=(10, 5)).astype("float32")
y = np.random.random(size=(10, 1)).astype("float32")

for epoch in range(25):
    with tf.GradientTape() as tape:
        h, y_pred = m3_hidden(x, training=True)
        loss = myLoss(y, y_pred, h)
    grads = tape.gradient(loss, m3.trainable_variables)
    optimizer.apply_gradients(zip(grads, m3.trainable_variables))
    if epoch % 5 == 0:
        print("epoch", epoch, "loss", float(loss))
