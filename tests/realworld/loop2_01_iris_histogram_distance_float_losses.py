"""Custom loss for the TF 2.0 Iris custom-training walkthrough: the user measures how far the
histogram of the per-example losses of a batch is from a normal distribution. `loss()` runs the
model inside the tape, but collects each example's loss with `losses.append(float(loss))`, hands
the Python floats to a NumPy helper and wraps its NumPy result back with
`tf.convert_to_tensor`. The loss value and type look the same as in the tutorial, but the float()
conversion left TensorFlow, so the returned tensor is a constant: every gradient is None (even
with `tape.watch(model.trainable_variables)`), and the tutorial's
`optimizer.apply_gradients(zip(grads, ...))` raises "No gradients provided for any variable".
Keras 2 only: under Keras 3 the user's `tape.watch(model.trainable_variables)` already fails,
because Keras 3 variables are not tf.Variables.
---
source: https://github.com/tensorflow/tensorflow/issues/30190
framework: keras2
outcome: error
cause: numpy_conversion
line: 51
variables: [dense]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

# a batch of Iris-like features (4 measurements) and 3 classes
features = tf.constant(np.random.normal(size=(32, 4)).astype("float32"))
labels = tf.constant(np.random.randint(0, 3, size=(32,)))

model = tf.keras.Sequential([
    tf.keras.Input(shape=(4,)),
    tf.keras.layers.Dense(10, activation=tf.nn.relu),
    tf.keras.layers.Dense(10, activation=tf.nn.relu),
    tf.keras.layers.Dense(3),
])
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def get_distance_between_samples_and_distribution(losses, if_plot=0):
    hist, bin_edges = np.histogram(losses, bins=8, density=True)
    centers = (bin_edges[:-1] + bin_edges[1:]) / 2
    mu, var = np.mean(losses), np.var(losses) + 1e-6
    normal = np.exp(-(centers - mu) ** 2 / (2 * var)) / np.sqrt(2 * np.pi * var)
    return np.sum((hist - normal) ** 2)


def loss(model, x, y):
    y_ = model(x)  # y_.shape is (batch_size, 3)
    losses = []
    for i in range(y.shape[0]):
        loss = loss_object(y_true=y[i:i + 1], y_pred=y_[i:i + 1])
        losses.append(float(loss))
    dis = get_distance_between_samples_and_distribution(losses, if_plot=0)
    return tf.convert_to_tensor(dis, dtype=np.float32)


def grad(model, inputs, targets):
    with tf.GradientTape() as tape:
        loss_value = loss(model, inputs, targets)
        tape.watch(model.trainable_variables)
    return loss_value, tape.gradient(loss_value, model.trainable_variables)


optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)

loss_value, grads = grad(model, features, labels)
print("loss_value:", round(float(loss_value), 4))
print("type(loss_value):", type(loss_value).__name__)
print("grads:", grads)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
print("Step: {}, Loss: {}".format(optimizer.iterations.numpy(),
                                  round(float(loss(model, features, labels)), 4)))
