"""Healthy: NNCLR self-supervised pre-training adapted from the keras.io example
(random images instead of STL-10, tiny encoder, Keras preprocessing layers
instead of keras_cv). Tricky but correct: the nearest-neighbour support set is a
non-trainable `keras.Variable` queue refreshed with `assign` inside the loss;
the nearest neighbour is swapped in with the straight-through trick
`projections + stop_gradient(nn - projections)`, so the gradient still reaches
the encoder and projection head through `projections`; a custom `train_step`
runs two tapes with two optimizers, and the second tape (linear probe) asks only
for the probe's weights although the encoder runs inside it, on purpose.

---
source: https://keras.io/examples/vision/nnclr/
framework: keras3
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

keras.utils.set_random_seed(0)

input_shape = (32, 32, 3)
width = 32
temperature = 0.1
queue_size = 256
batch_size = 16


def augmenter(name):
    return keras.Sequential(
        [
            layers.Input(shape=input_shape),
            layers.Rescaling(1 / 255),
            layers.RandomFlip("horizontal"),
            layers.RandomTranslation(0.1, 0.1),
        ],
        name=name,
    )


def encoder():
    return keras.Sequential(
        [
            layers.Input(shape=input_shape),
            layers.Conv2D(width, kernel_size=3, strides=2, activation="relu"),
            layers.Conv2D(width, kernel_size=3, strides=2, activation="relu"),
            layers.Flatten(),
            layers.Dense(width, activation="relu"),
        ],
        name="encoder",
    )


class NNCLR(keras.Model):
    def __init__(self, temperature, queue_size):
        super().__init__()
        self.probe_accuracy = keras.metrics.SparseCategoricalAccuracy()
        self.probe_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.contrastive_augmenter = augmenter("contrastive_augmenter")
        self.classification_augmenter = augmenter("classification_augmenter")
        self.encoder = encoder()
        self.projection_head = keras.Sequential(
            [layers.Input(shape=(width,)), layers.Dense(width, activation="relu"), layers.Dense(width)],
            name="projection_head",
        )
        self.linear_probe = keras.Sequential(
            [layers.Input(shape=(width,)), layers.Dense(10)], name="linear_probe"
        )
        self.temperature = temperature
        feature_dimensions = self.encoder.output_shape[1]
        self.feature_queue = keras.Variable(
            keras.utils.normalize(
                keras.random.normal(shape=(queue_size, feature_dimensions)), axis=1, order=2
            ),
            trainable=False,
        )

    def compile(self, contrastive_optimizer, probe_optimizer, **kwargs):
        super().compile(**kwargs)
        self.contrastive_optimizer = contrastive_optimizer
        self.probe_optimizer = probe_optimizer

    def nearest_neighbour(self, projections):
        support_similarities = ops.matmul(projections, ops.transpose(self.feature_queue))
        nn_projections = ops.take(
            self.feature_queue, ops.argmax(support_similarities, axis=1), axis=0
        )
        return projections + ops.stop_gradient(nn_projections - projections)

    def contrastive_loss(self, projections_1, projections_2):
        projections_1 = keras.utils.normalize(projections_1, axis=1, order=2)
        projections_2 = keras.utils.normalize(projections_2, axis=1, order=2)
        sim_1_2 = ops.matmul(self.nearest_neighbour(projections_1), ops.transpose(projections_2)) / self.temperature
        sim_2_1 = ops.matmul(self.nearest_neighbour(projections_2), ops.transpose(projections_1)) / self.temperature
        n = ops.shape(projections_1)[0]
        labels = ops.arange(n)
        loss = keras.losses.sparse_categorical_crossentropy(
            ops.concatenate([labels, labels], axis=0),
            ops.concatenate([sim_1_2, sim_2_1], axis=0),
            from_logits=True,
        )
        self.feature_queue.assign(
            ops.concatenate([projections_1, self.feature_queue[:-n]], axis=0)
        )
        return ops.mean(loss)

    def train_step(self, data):
        (unlabeled_images, _), (labeled_images, labels) = data
        images = ops.concatenate((unlabeled_images, labeled_images), axis=0)
        augmented_images_1 = self.contrastive_augmenter(images, training=True)
        augmented_images_2 = self.contrastive_augmenter(images, training=True)
        with tf.GradientTape() as tape:
            features_1 = self.encoder(augmented_images_1, training=True)
            features_2 = self.encoder(augmented_images_2, training=True)
            projections_1 = self.projection_head(features_1, training=True)
            projections_2 = self.projection_head(features_2, training=True)
            contrastive_loss = self.contrastive_loss(projections_1, projections_2)
        weights = self.encoder.trainable_weights + self.projection_head.trainable_weights
        gradients = tape.gradient(contrastive_loss, weights)
        self.contrastive_optimizer.apply_gradients(zip(gradients, weights))

        preprocessed_images = self.classification_augmenter(labeled_images, training=True)
        with tf.GradientTape() as tape:
            features = self.encoder(preprocessed_images, training=False)
            class_logits = self.linear_probe(features, training=True)
            probe_loss = self.probe_loss(labels, class_logits)
        gradients = tape.gradient(probe_loss, self.linear_probe.trainable_weights)
        self.probe_optimizer.apply_gradients(zip(gradients, self.linear_probe.trainable_weights))
        self.probe_accuracy.update_state(labels, class_logits)
        return {"c_loss": contrastive_loss, "p_loss": probe_loss, "p_acc": self.probe_accuracy.result()}


rng = np.random.default_rng(0)
prototypes = rng.uniform(0, 255, size=(10, 32, 32, 3))
unlabeled_cls = rng.integers(0, 10, size=(128,))
labels = rng.integers(0, 10, size=(64,)).astype("int32")
unlabeled = np.clip(prototypes[unlabeled_cls] + rng.normal(0, 20, (128, 32, 32, 3)), 0, 255).astype("float32")
labeled = np.clip(prototypes[labels] + rng.normal(0, 20, (64, 32, 32, 3)), 0, 255).astype("float32")
unlabeled_ds = tf.data.Dataset.from_tensor_slices((unlabeled, np.zeros(128, "int32"))).batch(batch_size)
labeled_ds = tf.data.Dataset.from_tensor_slices((labeled, labels)).repeat().batch(batch_size // 2)
train_dataset = tf.data.Dataset.zip((unlabeled_ds, labeled_ds))

model = NNCLR(temperature=temperature, queue_size=queue_size)
model.compile(
    contrastive_optimizer=keras.optimizers.Adam(1e-3),
    probe_optimizer=keras.optimizers.Adam(1e-3),
    jit_compile=False,
)
enc_before = [np.array(w) for w in model.encoder.get_weights()]
history = model.fit(train_dataset, epochs=8, verbose=0, shuffle=False)
print("contrastive loss per epoch:", [round(v, 4) for v in history.history["c_loss"]])
print("probe loss per epoch:      ", [round(v, 4) for v in history.history["p_loss"]])
enc_after = model.encoder.get_weights()
print("encoder kernel moved:", float(np.abs(enc_after[0] - enc_before[0]).max()) > 0)
