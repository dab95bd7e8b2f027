"""Supervised contrastive learning from the keras.io example. Phase 1 trains an encoder
plus projection head with a `keras.losses.Loss` subclass that overrides `__call__` and
builds the n-pairs target from `tf.equal(labels, transpose(labels))` (an integer/bool
op on the label path only; the logits are a differentiable matmul of the normalized
features). Phase 2 calls `create_classifier(encoder, trainable=False)`, which sets
`layer.trainable = False` on every encoder layer on purpose and trains only the Dropout/Dense
head on top: the frozen encoder is the intended linear-evaluation setup, not a mistake.
`tfa.losses.npairs_loss` is inlined (TensorFlow Addons is gone), ResNet50V2 is replaced by
a tiny conv stack, the `experimental.preprocessing` layers by their Keras 3 names
(RandomWidth/RandomHeight dropped), and CIFAR-10 by random images.
---
source: https://github.com/keras-team/keras-io/blob/master/examples/vision/supervised-contrastive-learning.py
framework: both
outcome: trains_fine
cause: none
line: 0
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()

num_classes = 10
input_shape = (16, 16, 3)

# Random stand-in for keras.datasets.cifar10.load_data()
rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, size=(160, 16, 16, 3)).astype("uint8")
y_train = rng.integers(0, num_classes, size=(160, 1))
x_test = rng.integers(0, 256, size=(40, 16, 16, 3)).astype("uint8")
y_test = rng.integers(0, num_classes, size=(40, 1))

data_augmentation = keras.Sequential(
    [
        layers.Normalization(),
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.02),
    ]
)

# Setting the state of the normalization layer.
data_augmentation.layers[0].adapt(x_train)


def create_encoder():
    # Small stand-in for keras.applications.ResNet50V2(include_top=False, weights=None, pooling="avg")
    resnet = keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
        ],
        name="resnet",
    )

    inputs = keras.Input(shape=input_shape)
    augmented = data_augmentation(inputs)
    outputs = resnet(augmented)
    model = keras.Model(inputs=inputs, outputs=outputs, name="cifar10-encoder")
    return model


learning_rate = 0.001
batch_size = 32
hidden_units = 32
projection_units = 16
num_epochs = 2
dropout_rate = 0.5
temperature = 0.05


def create_classifier(encoder, trainable=True):

    for layer in encoder.layers:
        layer.trainable = trainable

    inputs = keras.Input(shape=input_shape)
    features = encoder(inputs)
    features = layers.Dropout(dropout_rate)(features)
    features = layers.Dense(hidden_units, activation="relu")(features)
    features = layers.Dropout(dropout_rate)(features)
    outputs = layers.Dense(num_classes, activation="softmax")(features)

    model = keras.Model(inputs=inputs, outputs=outputs, name="cifar10-classifier")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    return model


def npairs_loss(y_true, y_pred):
    # Inlined from tfa.losses.npairs_loss
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(y_true, y_pred.dtype)
    y_true = tf.expand_dims(y_true, -1)
    y_true = tf.cast(tf.equal(y_true, tf.transpose(y_true)), y_pred.dtype)
    y_true /= tf.math.reduce_sum(y_true, 1, keepdims=True)
    loss = tf.nn.softmax_cross_entropy_with_logits(logits=y_pred, labels=y_true)
    return tf.math.reduce_mean(loss)


class SupervisedContrastiveLoss(keras.losses.Loss):
    def __init__(self, temperature=1, name=None):
        super(SupervisedContrastiveLoss, self).__init__(name=name)
        self.temperature = temperature

    def __call__(self, labels, feature_vectors, sample_weight=None):
        # Normalize feature vectors
        feature_vectors_normalized = tf.math.l2_normalize(feature_vectors, axis=1)
        # Compute logits
        logits = tf.divide(
            tf.matmul(
                feature_vectors_normalized, tf.transpose(feature_vectors_normalized)
            ),
            self.temperature,
        )
        return npairs_loss(tf.squeeze(labels), logits)


def add_projection_head(encoder):
    inputs = keras.Input(shape=input_shape)
    features = encoder(inputs)
    outputs = layers.Dense(projection_units, activation="relu")(features)
    model = keras.Model(
        inputs=inputs, outputs=outputs, name="cifar-encoder_with_projection-head"
    )
    return model


# ### 2. Pretrain the encoder
encoder = create_encoder()

encoder_with_projection_head = add_projection_head(encoder)
encoder_with_projection_head.compile(
    optimizer=keras.optimizers.Adam(learning_rate),
    loss=SupervisedContrastiveLoss(temperature),
)

enc_before = [v.numpy().copy() for v in encoder.trainable_variables]
history = encoder_with_projection_head.fit(
    x=x_train, y=y_train, batch_size=batch_size, epochs=num_epochs, verbose=0
)
enc_changed = sum(not np.allclose(b, v.numpy()) for b, v in zip(enc_before, encoder.trainable_variables))
print("contrastive loss:", round(float(history.history["loss"][-1]), 4))
print("encoder variables changed in pretraining: %d/%d" % (enc_changed, len(enc_before)))

# ### 3. Train the classifier with the frozen encoder
classifier = create_classifier(encoder, trainable=False)
print("classifier trainable variables:", len(classifier.trainable_variables))

history = classifier.fit(x=x_train, y=y_train, batch_size=batch_size, epochs=num_epochs, verbose=0)

accuracy = classifier.evaluate(x_test, y_test, verbose=0)[1]
print(f"Test accuracy: {round(accuracy * 100, 2)}%")
print("final loss:", round(float(history.history["loss"][-1]), 4))
