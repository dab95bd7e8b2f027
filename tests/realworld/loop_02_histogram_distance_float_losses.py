"""Iris custom-training walkthrough with a research loss: per-sample losses are collected with float() into a Python list, their histogram is compared with a normal distribution in NumPy, and the distance is wrapped back into a tensor; tape.gradient returns all None and apply_gradients fails (keras2 only: under Keras 3 the user's tape.watch(model.trainable_variables) already raises a TypeError).

---
source: https://github.com/tensorflow/tensorflow/issues/30190
framework: keras2
outcome: error
cause: numpy_conversion
line: 47
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias, dense_2/kernel, dense_2/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.layers.Dense(10, activation=tf.nn.relu, input_shape=(4,)),
    tf.keras.layers.Dense(10, activation=tf.nn.relu),
    tf.keras.layers.Dense(3),
])
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)

features = np.random.rand(32, 4).astype(np.float32)
labels = np.random.randint(0, 3, size=(32,))


def normal_pdf(x, mu, sigma):
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))


def get_distance_between_samples_and_distribution(losses, if_plot=0):
    losses = np.asarray(losses)
    hist, edges = np.histogram(losses, bins=8, density=True)
    centers = (edges[:-1] + edges[1:]) / 2
    expected = normal_pdf(centers, losses.mean(), losses.std() + 1e-6)
    if if_plot:
        print(hist, expected)
    return np.sum((hist - expected) ** 2)


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


loss_value, grads = grad(model, features, labels)
print("loss_value:", loss_value)
print("type(loss_value):", type(loss_value))
print("grads:", grads)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
