"""Healthy counterpart: the keras.io siamese network with a contrastive loss.
A shared `embedding_network` (BatchNorm, two tanh Conv2D/AveragePooling
blocks, Dense(10, tanh)) embeds both images, a Lambda merges them with an
Euclidean distance, BatchNorm + Dense(1, sigmoid) produce the score, and a
closure `loss(margin)` returns the contrastive loss. Things that look risky but
are fine: the distance takes `sqrt` of a sum of squares, but clamps it with
`maximum(sum_square, epsilon)` first, so pairs whose embeddings coincide (here
some pairs repeat the same image) still give finite gradients; the model is
trained with `fit`, and `.numpy()` / `predict` are only used for logging
after training. Random class prototypes plus noise replace MNIST; the loss
goes down.
---
source: https://github.com/keras-team/keras-io/blob/master/examples/vision/siamese_contrastive.py
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import random
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
tf.keras.utils.set_random_seed(0)
random.seed(0)

epochs = 4
batch_size = 16
margin = 1  # Margin for contrastive loss.

# toy "digits": 10 random prototypes plus noise
protos = np.random.rand(10, 28, 28).astype("float32")
y_train = np.random.randint(0, 10, 80)
x_train = protos[y_train] + 0.3 * np.random.rand(80, 28, 28).astype("float32")


def make_pairs(x, y):
    num_classes = max(y) + 1
    digit_indices = [np.where(y == i)[0] for i in range(num_classes)]
    pairs, labels = [], []
    for idx1 in range(len(x)):
        x1 = x[idx1]
        label1 = y[idx1]
        idx2 = random.choice(digit_indices[label1])  # may be idx1 itself
        pairs += [[x1, x[idx2]]]
        labels += [1]
        label2 = random.randint(0, num_classes - 1)
        while label2 == label1:
            label2 = random.randint(0, num_classes - 1)
        idx2 = random.choice(digit_indices[label2])
        pairs += [[x1, x[idx2]]]
        labels += [0]
    return np.array(pairs), np.array(labels).astype("float32")


pairs_train, labels_train = make_pairs(x_train, y_train)
pairs_train[0, 1] = pairs_train[0, 0]  # make sure one identical pair exists
x_train_1 = pairs_train[:, 0]
x_train_2 = pairs_train[:, 1]


def euclidean_distance(vects):
    x, y = vects
    sum_square = tf.math.reduce_sum(tf.math.square(x - y), axis=1, keepdims=True)
    return tf.math.sqrt(tf.math.maximum(sum_square, keras.backend.epsilon()))


input = layers.Input((28, 28, 1))
x = layers.BatchNormalization()(input)
x = layers.Conv2D(4, (5, 5), activation="tanh", name="conv_a")(x)
x = layers.AveragePooling2D(pool_size=(2, 2))(x)
x = layers.Conv2D(16, (5, 5), activation="tanh", name="conv_b")(x)
x = layers.AveragePooling2D(pool_size=(2, 2))(x)
x = layers.Flatten()(x)
x = layers.BatchNormalization()(x)
x = layers.Dense(10, activation="tanh", name="embed")(x)
embedding_network = keras.Model(input, x)

input_1 = layers.Input((28, 28, 1))
input_2 = layers.Input((28, 28, 1))
tower_1 = embedding_network(input_1)
tower_2 = embedding_network(input_2)
merge_layer = layers.Lambda(euclidean_distance)([tower_1, tower_2])
normal_layer = layers.BatchNormalization()(merge_layer)
output_layer = layers.Dense(1, activation="sigmoid", name="score")(normal_layer)
siamese = keras.Model(inputs=[input_1, input_2], outputs=output_layer)


def loss(margin=1):
    def contrastive_loss(y_true, y_pred):
        square_pred = tf.math.square(y_pred)
        margin_square = tf.math.square(tf.math.maximum(margin - (y_pred), 0))
        return tf.math.reduce_mean((1 - y_true) * square_pred + (y_true) * margin_square)
    return contrastive_loss


siamese.compile(loss=loss(margin=margin), optimizer="RMSprop", metrics=["accuracy"])

# the identical pair: distance is clamped, gradients stay finite
with tf.GradientTape() as tape:
    l0 = loss(margin)(labels_train[:2], siamese([x_train_1[:2], x_train_2[:2]], training=True))
g0 = tape.gradient(l0, siamese.trainable_variables)
print("all grads finite on identical pair:", all(bool(tf.reduce_all(tf.math.is_finite(g))) for g in g0))

history = siamese.fit([x_train_1, x_train_2], labels_train, batch_size=batch_size, epochs=epochs, verbose=0)
print("loss per epoch:", [round(v, 4) for v in history.history["loss"]])
preds = siamese.predict([x_train_1[:4], x_train_2[:4]], verbose=0)
print("first predictions:", np.round(preds.ravel(), 3), "labels:", labels_train[:4])
