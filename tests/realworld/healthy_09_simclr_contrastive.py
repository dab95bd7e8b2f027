"""keras.io semi-supervised SimCLR: a ContrastiveModel train_step augments two views,
computes the NT-Xent loss from L2-normalized projections (labels = tf.range(batch)),
tracks contrastive accuracy on the similarity matrix, and, in a second tape, trains a
linear probe on encoder features computed outside that tape (training=False).

---
source: https://github.com/keras-team/keras-io/blob/master/examples/vision/semisupervised_simclr.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
from tensorflow import keras
from tensorflow.keras import layers

width, temperature, num_classes = 16, 0.1, 4


def get_augmenter():
    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomTranslation(0.1, 0.1)])


def get_encoder():
    return keras.Sequential(
        [keras.Input(shape=(16, 16, 3)), layers.Conv2D(width, 3, strides=2, activation="relu"),
         layers.Flatten(), layers.Dense(width, activation="relu")],
        name="encoder",
    )


class ContrastiveModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.temperature = temperature
        self.contrastive_augmenter = get_augmenter()
        self.classification_augmenter = get_augmenter()
        self.encoder = get_encoder()
        self.projection_head = keras.Sequential(
            [keras.Input(shape=(width,)), layers.Dense(width, activation="relu"), layers.Dense(width)],
            name="projection_head",
        )
        self.linear_probe = keras.Sequential([layers.Input(shape=(width,)), layers.Dense(num_classes)], name="linear_probe")

    def compile(self, contrastive_optimizer, probe_optimizer, **kwargs):
        super().compile(**kwargs)
        self.contrastive_optimizer = contrastive_optimizer
        self.probe_optimizer = probe_optimizer
        self.probe_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.contrastive_loss_tracker = keras.metrics.Mean(name="c_loss")
        self.contrastive_accuracy = keras.metrics.SparseCategoricalAccuracy(name="c_acc")
        self.probe_loss_tracker = keras.metrics.Mean(name="p_loss")
        self.probe_accuracy = keras.metrics.SparseCategoricalAccuracy(name="p_acc")

    @property
    def metrics(self):
        return [self.contrastive_loss_tracker, self.contrastive_accuracy, self.probe_loss_tracker, self.probe_accuracy]

    def contrastive_loss(self, projections_1, projections_2):
        projections_1 = tf.math.l2_normalize(projections_1, axis=1)
        projections_2 = tf.math.l2_normalize(projections_2, axis=1)
        similarities = tf.matmul(projections_1, projections_2, transpose_b=True) / self.temperature
        batch_size = tf.shape(projections_1)[0]
        contrastive_labels = tf.range(batch_size)
        self.contrastive_accuracy.update_state(contrastive_labels, similarities)
        self.contrastive_accuracy.update_state(contrastive_labels, tf.transpose(similarities))
        loss_1_2 = keras.losses.sparse_categorical_crossentropy(contrastive_labels, similarities, from_logits=True)
        loss_2_1 = keras.losses.sparse_categorical_crossentropy(contrastive_labels, tf.transpose(similarities), from_logits=True)
        return (loss_1_2 + loss_2_1) / 2

    def train_step(self, data):
        (unlabeled_images, _), (labeled_images, labels) = data
        images = tf.concat((unlabeled_images, labeled_images), axis=0)
        augmented_images_1 = self.contrastive_augmenter(images, training=True)
        augmented_images_2 = self.contrastive_augmenter(images, training=True)
        with tf.GradientTape() as tape:
            features_1 = self.encoder(augmented_images_1, training=True)
            features_2 = self.encoder(augmented_images_2, training=True)
            projections_1 = self.projection_head(features_1, training=True)
            projections_2 = self.projection_head(features_2, training=True)
            contrastive_loss = self.contrastive_loss(projections_1, projections_2)
        gradients = tape.gradient(
            contrastive_loss, self.encoder.trainable_weights + self.projection_head.trainable_weights
        )
        self.contrastive_optimizer.apply_gradients(
            zip(gradients, self.encoder.trainable_weights + self.projection_head.trainable_weights)
        )
        self.contrastive_loss_tracker.update_state(contrastive_loss)

        preprocessed_images = self.classification_augmenter(labeled_images, training=True)
        with tf.GradientTape() as tape:
            features = self.encoder(preprocessed_images, training=False)
            class_logits = self.linear_probe(features, training=True)
            probe_loss = self.probe_loss(labels, class_logits)
        gradients = tape.gradient(probe_loss, self.linear_probe.trainable_weights)
        self.probe_optimizer.apply_gradients(zip(gradients, self.linear_probe.trainable_weights))
        self.probe_loss_tracker.update_state(probe_loss)
        self.probe_accuracy.update_state(labels, class_logits)
        return {m.name: m.result() for m in self.metrics}


unlabeled = tf.data.Dataset.from_tensor_slices(
    (np.random.rand(96, 16, 16, 3).astype("float32"), np.full(96, -1))
).batch(24)
labeled = tf.data.Dataset.from_tensor_slices(
    (np.random.rand(32, 16, 16, 3).astype("float32"), np.random.randint(0, num_classes, 32))
).repeat().batch(8)
train_dataset = tf.data.Dataset.zip((unlabeled, labeled))

pretraining_model = ContrastiveModel()
pretraining_model.compile(contrastive_optimizer=keras.optimizers.Adam(1e-2), probe_optimizer=keras.optimizers.Adam(1e-2))
tracked = lambda m: m.encoder.trainable_weights + m.projection_head.trainable_weights + m.linear_probe.trainable_weights
before = [v.numpy().copy() for v in tracked(pretraining_model)]
history = pretraining_model.fit(train_dataset, epochs=3, verbose=0)
print("c_loss", history.history["c_loss"][0], "->", history.history["c_loss"][-1])
changed = [not np.allclose(b, v.numpy()) for b, v in zip(before, tracked(pretraining_model))]
assert all(changed), changed
print("ok")
