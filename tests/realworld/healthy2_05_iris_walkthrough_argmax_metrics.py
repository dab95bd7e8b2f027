"""Iris classifier trained with a hand-written GradientTape loop, adapted from the TensorFlow "Custom training: walkthrough" tutorial (the CSV/iris version): `grad()` opens the tape, calls the model through the tutorial's `loss()` helper and returns `tape.gradient(loss_value, model.trainable_variables)`. Everything that looks non-differentiable happens after the gradients are taken and only feeds metrics or printouts: `loss_value.numpy()` and `optimizer.iterations.numpy()` in the log lines, `epoch_accuracy.update_state(y, model(x, training=True))`, and on the test set `tf.math.argmax(logits, axis=1, output_type=tf.int64)` into a `tf.keras.metrics.Accuracy` and `tf.math.argmax(logits).numpy()` to name predicted classes. The downloaded iris CSV is replaced by a small random CSV written to a temporary directory and read back with `make_csv_dataset`; three epochs.
---
source: https://github.com/tensorflow/docs/blob/master/site/en/tutorials/customization/custom_training_walkthrough.ipynb
framework: both
outcome: trains_fine
cause: none
line: 0
variables: []
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tempfile

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

# column order in CSV file
column_names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']

feature_names = column_names[:-1]
label_name = column_names[-1]
class_names = ['Iris setosa', 'Iris versicolor', 'Iris virginica']


def write_csv(path, n, rng):
    # Random stand-in for iris_training.csv / iris_test.csv
    with open(path, "w") as f:
        f.write("%d,4,setosa,versicolor,virginica\n" % n)
        for _ in range(n):
            label = rng.integers(0, 3)
            x = rng.normal(loc=[5.0 + label, 3.0, 1.5 + 2 * label, 0.3 + label], scale=0.3)
            f.write(",".join("%.1f" % v for v in x) + ",%d\n" % label)


tmp = tempfile.mkdtemp()
rng = np.random.default_rng(0)
train_dataset_fp = os.path.join(tmp, "iris_training.csv")
test_fp = os.path.join(tmp, "iris_test.csv")
write_csv(train_dataset_fp, 64, rng)
write_csv(test_fp, 20, rng)

batch_size = 32

train_dataset = tf.data.experimental.make_csv_dataset(
    train_dataset_fp,
    batch_size,
    column_names=column_names,
    label_name=label_name,
    num_epochs=1,
    shuffle=False)


def pack_features_vector(features, labels):
  """Pack the features into a single array."""
  features = tf.stack(list(features.values()), axis=1)
  return features, labels


train_dataset = train_dataset.map(pack_features_vector)

features, labels = next(iter(train_dataset))

model = tf.keras.Sequential([
  tf.keras.Input(shape=(4,)),
  tf.keras.layers.Dense(10, activation=tf.nn.relu),  # input shape required
  tf.keras.layers.Dense(10, activation=tf.nn.relu),
  tf.keras.layers.Dense(3)
])

loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def loss(model, x, y, training):
  # training=training is needed only if there are layers with different
  # behavior during training versus inference (e.g. Dropout).
  y_ = model(x, training=training)

  return loss_object(y_true=y, y_pred=y_)


l = loss(model, features, labels, training=False)
print("Loss test: {}".format(l))


def grad(model, inputs, targets):
  with tf.GradientTape() as tape:
    loss_value = loss(model, inputs, targets, training=True)
  return loss_value, tape.gradient(loss_value, model.trainable_variables)


optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)

before = [v.numpy().copy() for v in model.trainable_variables]

loss_value, grads = grad(model, features, labels)

print("Step: {}, Initial Loss: {}".format(optimizer.iterations.numpy(),
                                          loss_value.numpy()))

optimizer.apply_gradients(zip(grads, model.trainable_variables))

print("Step: {},         Loss: {}".format(optimizer.iterations.numpy(),
                                          loss(model, features, labels, training=True).numpy()))

## Note: Rerunning this cell uses the same model variables

# Keep results for plotting
train_loss_results = []
train_accuracy_results = []

num_epochs = 3

for epoch in range(num_epochs):
  epoch_loss_avg = tf.keras.metrics.Mean()
  epoch_accuracy = tf.keras.metrics.SparseCategoricalAccuracy()

  # Training loop - using batches of 32
  for x, y in train_dataset:
    # Optimize the model
    loss_value, grads = grad(model, x, y)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

    # Track progress
    epoch_loss_avg.update_state(loss_value)  # Add current batch loss
    # Compare predicted label to actual label
    # training=True is needed only if there are layers with different
    # behavior during training versus inference (e.g. Dropout).
    epoch_accuracy.update_state(y, model(x, training=True))

  # End epoch
  train_loss_results.append(epoch_loss_avg.result())
  train_accuracy_results.append(epoch_accuracy.result())

  print("Epoch {:03d}: Loss: {:.3f}, Accuracy: {:.3%}".format(epoch,
                                                              epoch_loss_avg.result(),
                                                              epoch_accuracy.result()))

test_dataset = tf.data.experimental.make_csv_dataset(
    test_fp,
    batch_size,
    column_names=column_names,
    label_name='species',
    num_epochs=1,
    shuffle=False)

test_dataset = test_dataset.map(pack_features_vector)

test_accuracy = tf.keras.metrics.Accuracy()

for (x, y) in test_dataset:
  # training=False is needed only if there are layers with different
  # behavior during training versus inference (e.g. Dropout).
  logits = model(x, training=False)
  prediction = tf.math.argmax(logits, axis=1, output_type=tf.int64)
  test_accuracy(prediction, y)

print("Test set accuracy: {:.3%}".format(test_accuracy.result()))

predict_dataset = tf.convert_to_tensor([
    [5.1, 3.3, 1.7, 0.5,],
    [5.9, 3.0, 4.2, 1.5,],
    [6.9, 3.1, 5.4, 2.1]
])

# training=False is needed only if there are layers with different
# behavior during training versus inference (e.g. Dropout).
predictions = model(predict_dataset, training=False)

for i, logits in enumerate(predictions):
  class_idx = tf.math.argmax(logits).numpy()
  p = tf.nn.softmax(logits)[class_idx]
  name = class_names[class_idx]
  print("Example {} prediction: {} ({:4.1f}%)".format(i, name, 100*p))

changed = sum(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
print("train losses:", [float(v) for v in train_loss_results])
print("trainable variables changed: %d/%d" % (changed, len(before)))
assert np.all(np.isfinite([float(v) for v in train_loss_results]))
assert changed == len(before)
