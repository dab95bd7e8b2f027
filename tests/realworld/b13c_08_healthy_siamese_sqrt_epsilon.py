"""Healthy: the classic Keras siamese network (examples/mnist_siamese.py), shrunk to
random vectors. Both branches share one base network; a Lambda layer computes the
Euclidean distance as K.sqrt(K.maximum(sum_square, K.epsilon())) and the model is
trained with the contrastive loss. The batch deliberately includes pairs whose two
inputs are identical, where the squared distance is exactly 0: a plain sqrt would give
an infinite derivative and NaN gradients, but the K.maximum clamp keeps the gradient
finite (it is simply 0 for those pairs). Loss decreases and all weights stay finite.
---
source: https://github.com/keras-team/keras/blob/keras-2/examples/mnist_siamese.py
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Input, Dense, Dropout, Lambda
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import RMSprop
tf.keras.utils.set_random_seed(0)


def euclidean_distance(vects):
    x, y = vects
    sum_square = K.sum(K.square(x - y), axis=1, keepdims=True)
    return K.sqrt(K.maximum(sum_square, K.epsilon()))


def contrastive_loss(y_true, y_pred):
    margin = 1
    square_pred = K.square(y_pred)
    margin_square = K.square(K.maximum(margin - y_pred, 0))
    return K.mean(y_true * square_pred + (1 - y_true) * margin_square)


def create_base_network(input_dim):
    inp = Input(shape=(input_dim,))
    x = Dense(32, activation='relu', name='base_d1')(inp)
    x = Dropout(0.1)(x)
    x = Dense(32, activation='relu', name='base_d2')(x)
    return Model(inp, x, name='base')


input_dim = 20
base_network = create_base_network(input_dim)
input_a, input_b = Input(shape=(input_dim,)), Input(shape=(input_dim,))
processed_a, processed_b = base_network(input_a), base_network(input_b)
distance = Lambda(euclidean_distance, output_shape=(1,))([processed_a, processed_b])
model = Model([input_a, input_b], distance)
model.compile(loss=contrastive_loss, optimizer=RMSprop(learning_rate=1e-3))

# pairs: positives are (x, x + small noise) and some exactly identical (x, x); negatives random
n = 256
a = np.random.randn(n, input_dim).astype('float32')
b = np.random.randn(n, input_dim).astype('float32')
pos = np.arange(n) % 2 == 0
b[pos] = a[pos] + 0.05 * np.random.randn(pos.sum(), input_dim).astype('float32')
b[::8] = a[::8]                                   # identical pairs: distance exactly 0
y = pos.astype('float32')
y[::8] = 1.0

with tf.GradientTape() as tape:
    loss0 = contrastive_loss(y[:32, None], model([a[:32], b[:32]], training=True))
grads = tape.gradient(loss0, model.trainable_weights)
print("initial grads finite:", all(bool(np.isfinite(g.numpy()).all()) for g in grads))

hist = model.fit([a, b], y, epochs=8, batch_size=32, verbose=0)
print("loss:", [round(v, 4) for v in hist.history['loss']])
print("weights finite:", all(bool(np.isfinite(w).all()) for w in model.get_weights()))
