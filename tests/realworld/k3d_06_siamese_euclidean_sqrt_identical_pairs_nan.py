"""Siamese network in the style of the Keras mnist_siamese example, but with the distance
written as `K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))` (no K.maximum/epsilon)
inside a Lambda layer, trained with model.fit on the contrastive loss. The negative partner
of each sample is drawn from the whole set, so some pairs hold the same sample twice: both
branches give the same embedding and the sum of squares is exactly 0. For such a pair the
margin term sends a nonzero gradient into the distance, the derivative of sqrt at 0 is inf,
and multiplied by the zero gradient of square(x - y) it gives NaN: after the first update
every weight of the shared base network is NaN and the loss is nan (the report: "NaN loss
when two inputs are the same"; adding a small constant under the sqrt makes it train). Fix:
`K.sqrt(K.maximum(K.sum(K.square(x - y), axis=1, keepdims=True), K.epsilon()))`.

---
source: https://github.com/keras-team/keras/issues/9097
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 33
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Input, Dense, Lambda
from tensorflow.keras.models import Sequential, Model
from tensorflow.keras.optimizers import RMSprop
np.random.seed(0)
tf.random.set_seed(0)


def euclidean_distance(vects):
    x, y = vects
    return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))


def eucl_dist_output_shape(shapes):
    shape1, shape2 = shapes
    return (shape1[0], 1)


def contrastive_loss(y_true, y_pred):
    margin = 1
    return K.mean(y_true * K.square(y_pred) + (1 - y_true) * K.square(K.maximum(margin - y_pred, 0)))


def create_base_network(input_dim):
    seq = Sequential()
    seq.add(Input((input_dim,)))
    seq.add(Dense(32, activation='relu'))
    seq.add(Dense(16, activation='relu'))
    return seq


input_dim = 20
base_network = create_base_network(input_dim)
input_a = Input(shape=(input_dim,))
input_b = Input(shape=(input_dim,))
processed_a = base_network(input_a)
processed_b = base_network(input_b)
distance = Lambda(euclidean_distance, output_shape=eucl_dist_output_shape)([processed_a, processed_b])
model = Model([input_a, input_b], distance)

x = np.random.rand(64, input_dim).astype('float32')
tr_a = x
partner = np.random.randint(0, 64, size=64)
partner[::8] = np.arange(0, 64, 8)      # the random draw sometimes picks the sample itself
tr_b = x[partner]
tr_y = np.zeros((64, 1), 'float32')     # 0: "different" pair
tr_b[1::2] = x[1::2] + 0.05 * np.random.randn(32, input_dim).astype('float32')
tr_y[1::2] = 1.                         # 1: "same" pair (a slightly perturbed copy)

rms = RMSprop()
model.compile(loss=contrastive_loss, optimizer=rms)
history = model.fit([tr_a, tr_b], tr_y, batch_size=16, epochs=2, verbose=0)
print('loss per epoch:', history.history['loss'])
print('nan in base network:', any(np.isnan(w).any() for w in base_network.get_weights()))
