"""TensorFlow "custom training with tf.distribute.Strategy" tutorial on two logical CPU
devices: model, optimizer and metrics are built under MirroredStrategy.scope(); the loss
uses Reduction.NONE + tf.nn.compute_average_loss over the global batch; strategy.run
executes train_step per replica, strategy.reduce sums the losses; accuracy (argmax-based)
is a metric only. The mirrored weights train.

---
source: https://github.com/tensorflow/docs/blob/master/site/en/tutorials/distribute/custom_training.ipynb
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace

cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(
    cpus[0], [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
print("Number of devices:", strategy.num_replicas_in_sync)

BATCH_SIZE_PER_REPLICA = 16
GLOBAL_BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync
train_images = np.random.rand(128, 10, 10, 1).astype("float32")
train_labels = (train_images.mean(axis=(1, 2, 3)) > 0.5).astype("int64")
train_dataset = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).shuffle(128).batch(GLOBAL_BATCH_SIZE)
train_dist_dataset = strategy.experimental_distribute_dataset(train_dataset)


def create_model():
    return tf.keras.Sequential(
        [
            tf.keras.Input((10, 10, 1)),
            tf.keras.layers.Conv2D(8, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dense(2),
        ]
    )


with strategy.scope():
    loss_object = tf.keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=tf.keras.losses.Reduction.NONE
    )

    def compute_loss(labels, predictions, model_losses):
        per_example_loss = loss_object(labels, predictions)
        loss = tf.nn.compute_average_loss(per_example_loss, global_batch_size=GLOBAL_BATCH_SIZE)
        if model_losses:
            loss += tf.nn.scale_regularization_loss(tf.add_n(model_losses))
        return loss

    train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
    model = create_model()
    optimizer = tf.keras.optimizers.Adam(learning_rate=1e-2)
    optimizer.build(model.trainable_variables)  # Keras 3: build slots in scope, not lazily in strategy.run


def train_step(inputs):
    images, labels = inputs
    with tf.GradientTape() as tape:
        predictions = model(images, training=True)
        loss = compute_loss(labels, predictions, model.losses)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_accuracy.update_state(labels, predictions)
    return loss


@tf.function
def distributed_train_step(dataset_inputs):
    per_replica_losses = strategy.run(train_step, args=(dataset_inputs,))
    return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)


before = [v.numpy().copy() for v in model.trainable_variables]
epoch_losses = []
for epoch in range(4):
    total_loss, num_batches = 0.0, 0
    for x in train_dist_dataset:
        total_loss += distributed_train_step(x)
        num_batches += 1
    epoch_losses.append(float(total_loss / num_batches))
    print(f"Epoch {epoch + 1}, Loss: {epoch_losses[-1]:.4f}, Accuracy: {train_accuracy.result() * 100:.1f}")
    train_accuracy.reset_state()
assert all(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
assert epoch_losses[-1] < epoch_losses[0]
print("ok")
