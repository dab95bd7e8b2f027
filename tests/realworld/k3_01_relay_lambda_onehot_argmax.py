"""Communication-system "relay" autoencoder: two Dense layers estimate the sent symbol,
then a Lambda layer `decodeSignal` applies softmax and turns the estimate into a hard
one-hot vector with `one_hot(argmax(x))`, and that one-hot vector is the model output
trained with categorical cross-entropy through `model.fit`. argmax returns integer
indices with no gradient and one_hot of indices is constant with respect to the weights,
so no path leads from the loss back to the Dense layers and fit stops with
"No gradients provided for any variable". The hard decision belongs after training
(or a softmax output must be trained instead).
---
source: https://github.com/keras-team/keras/issues/9169
framework: both
outcome: error
cause: nondifferentiable_op
line: 30
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense, Lambda
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import Adam
from tensorflow.keras.activations import softmax

M = 16  # number of messages (symbols)


def decodeSignal(x):
    x = softmax(x)
    Y = tf.one_hot(tf.argmax(x, axis=-1), depth=M)
    return Y


input_layer = Input(shape=(M,))

# Relay
relay = Dense(M, activation='relu')(input_layer)
relay = Dense(M,)(relay)
relay_softmax = Lambda(decodeSignal, output_shape=(M,))(relay)

model = Model(input_layer, relay_softmax)
model.compile(optimizer=Adam(learning_rate=.001), loss='categorical_crossentropy')
model.summary()

N = 64
onehot_symbols = np.eye(M, dtype="float32")[np.random.randint(M, size=N)]
model.fit(onehot_symbols, onehot_symbols, epochs=2, shuffle=True, verbose=2)
