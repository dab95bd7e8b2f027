"""Users training an embedding network with TensorFlow Addons'
`TripletSemiHardLoss` (the TFA tutorial model: Conv2D/MaxPool/Dropout ->
Dense(256) -> L2-normalize) saw the loss turn into NaN and the model stop
learning. The reporter walked through the TFA code, and the thread pinned it on
the last step: `triplet_loss = truediv(reduce_sum(...), num_positives)`. When a
mini-batch contains no two samples of the same class (small batches, many
classes), `num_positives` is 0, the loss is 0/0 = NaN and every gradient is
NaN, so one optimizer step writes NaN into all weights. Fix: build batches that
contain positives (class-balanced sampling / larger batches) or guard the
division. The TFA loss functions are copied verbatim below (decorators and
typeguard removed) because tensorflow-addons is not installed.
---
source: https://github.com/tensorflow/addons/issues/2447
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: [89, 91]
variables: [conv2d_1/kernel, conv2d_2/kernel, embedding/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)


def pairwise_distance(feature, squared=False):
    pairwise_distances_squared = tf.math.add(
        tf.math.reduce_sum(tf.math.square(feature), axis=[1], keepdims=True),
        tf.math.reduce_sum(tf.math.square(tf.transpose(feature)), axis=[0], keepdims=True),
    ) - 2.0 * tf.matmul(feature, tf.transpose(feature))
    pairwise_distances_squared = tf.math.maximum(pairwise_distances_squared, 0.0)
    error_mask = tf.math.less_equal(pairwise_distances_squared, 0.0)
    if squared:
        pairwise_distances = pairwise_distances_squared
    else:
        pairwise_distances = tf.math.sqrt(
            pairwise_distances_squared + tf.cast(error_mask, dtype=tf.dtypes.float32) * 1e-16)
    pairwise_distances = tf.math.multiply(
        pairwise_distances, tf.cast(tf.math.logical_not(error_mask), dtype=tf.dtypes.float32))
    num_data = tf.shape(feature)[0]
    mask_offdiagonals = tf.ones_like(pairwise_distances) - tf.linalg.diag(tf.ones([num_data]))
    return tf.math.multiply(pairwise_distances, mask_offdiagonals)


def _masked_maximum(data, mask, dim=1):
    axis_minimums = tf.math.reduce_min(data, dim, keepdims=True)
    return tf.math.reduce_max(tf.math.multiply(data - axis_minimums, mask), dim,
                              keepdims=True) + axis_minimums


def _masked_minimum(data, mask, dim=1):
    axis_maximums = tf.math.reduce_max(data, dim, keepdims=True)
    return tf.math.reduce_min(tf.math.multiply(data - axis_maximums, mask), dim,
                              keepdims=True) + axis_maximums


def triplet_semihard_loss(y_true, y_pred, margin=1.0):
    labels, embeddings = y_true, y_pred
    lshape = tf.shape(labels)
    labels = tf.reshape(labels, [lshape[0], 1])
    pdist_matrix = pairwise_distance(embeddings, squared=True)
    adjacency = tf.math.equal(labels, tf.transpose(labels))
    adjacency_not = tf.math.logical_not(adjacency)
    batch_size = tf.size(labels)

    pdist_matrix_tile = tf.tile(pdist_matrix, [batch_size, 1])
    mask = tf.math.logical_and(
        tf.tile(adjacency_not, [batch_size, 1]),
        tf.math.greater(pdist_matrix_tile, tf.reshape(tf.transpose(pdist_matrix), [-1, 1])),
    )
    mask_final = tf.reshape(
        tf.math.greater(tf.math.reduce_sum(tf.cast(mask, dtype=tf.dtypes.float32), 1,
                                           keepdims=True), 0.0),
        [batch_size, batch_size],
    )
    mask_final = tf.transpose(mask_final)
    adjacency_not = tf.cast(adjacency_not, dtype=tf.dtypes.float32)
    mask = tf.cast(mask, dtype=tf.dtypes.float32)

    negatives_outside = tf.reshape(_masked_minimum(pdist_matrix_tile, mask), [batch_size, batch_size])
    negatives_outside = tf.transpose(negatives_outside)
    negatives_inside = tf.tile(_masked_maximum(pdist_matrix, adjacency_not), [1, batch_size])
    semi_hard_negatives = tf.where(mask_final, negatives_outside, negatives_inside)

    loss_mat = tf.math.add(margin, pdist_matrix - semi_hard_negatives)
    mask_positives = tf.cast(adjacency, dtype=tf.dtypes.float32) - tf.linalg.diag(tf.ones([batch_size]))
    num_positives = tf.math.reduce_sum(mask_positives)

    triplet_loss = tf.math.truediv(
        tf.math.reduce_sum(tf.math.maximum(tf.math.multiply(loss_mat, mask_positives), 0.0)),
        num_positives,
    )
    return triplet_loss


class TripletSemiHardLoss(tf.keras.losses.Loss):
    def __init__(self, margin=1.0, name="triplet_semihard_loss"):
        super().__init__(name=name)
        self.margin = margin

    def call(self, y_true, y_pred):
        return triplet_semihard_loss(y_true, y_pred, self.margin)


model = tf.keras.Sequential([
    tf.keras.Input(shape=(28, 28, 1)),
    tf.keras.layers.Conv2D(16, 2, padding="same", activation="relu", name="conv2d_1"),
    tf.keras.layers.MaxPooling2D(pool_size=2),
    tf.keras.layers.Dropout(0.3),
    tf.keras.layers.Conv2D(8, 2, padding="same", activation="relu", name="conv2d_2"),
    tf.keras.layers.MaxPooling2D(pool_size=2),
    tf.keras.layers.Dropout(0.3),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(64, activation=None, name="embedding"),
    tf.keras.layers.Lambda(lambda x: tf.math.l2_normalize(x, axis=1)),
])
model.compile(optimizer=tf.keras.optimizers.Adam(0.001), loss=TripletSemiHardLoss())

# many identities, small batches: each batch of 16 has 16 different labels
x = np.random.rand(64, 28, 28, 1).astype("float32")
y = np.arange(64).astype("float32")
hist = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
print("loss per epoch:", hist.history["loss"])
print("any NaN in embedding kernel:", bool(np.isnan(model.get_layer("embedding").kernel.numpy()).any()))
