"""MAML on sine waves (hereismari/tensorflow-maml), extended to several inner SGD
steps as asked in the repo's issue #3. The notebook's trick for the fast weights is
`model_copy.layers[j].kernel = tf.subtract(...)`: it replaces each Dense kernel/bias
variable by a plain tensor. In tf.keras that attribute assignment also drops the
variable from the layer's tracked weights, so after the first inner step
`model_copy.trainable_variables` is empty and the second inner step's
`train_tape.gradient(train_loss, model_copy.trainable_variables)` returns an empty
list ("updating the weights manually makes them non-trainable"); indexing it fails.
The fast weights are tensors computed before `train_tape` opened, so they must be
watched (`train_tape.watch(...)`) and differentiated directly, which is how the
commenters solved it. tf.keras only: Keras 3's Dense.kernel has no setter.
---
source: https://github.com/hereismari/tensorflow-maml/issues/3
framework: keras2
outcome: error
cause: unwatched_tensor
also: [wrong_sources]
line: [83, 85]
variables: [kernel, bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
import tensorflow.keras as keras
import tensorflow.keras.backend as keras_backend
import random
import numpy as np

np.random.seed(333)
tf.keras.utils.set_random_seed(0)


class SinusoidGenerator():
    def __init__(self, K=10, amplitude=None, phase=None):
        self.K = K
        self.amplitude = amplitude if amplitude else np.random.uniform(0.1, 5.0)
        self.phase = phase if amplitude else np.random.uniform(0, np.pi)
        self.x = np.random.uniform(-5, 5, self.K)

    def f(self, x):
        return self.amplitude * np.sin(x - self.phase)

    def batch(self):
        x = self.x
        return x[:, None], self.f(x)[:, None]


class SineModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden1 = keras.layers.Dense(40, input_shape=(1,))
        self.hidden2 = keras.layers.Dense(40)
        self.out = keras.layers.Dense(1)

    def forward(self, x):
        x = keras.activations.relu(self.hidden1(x))
        x = keras.activations.relu(self.hidden2(x))
        x = self.out(x)
        return x


def loss_function(pred_y, y):
    return keras_backend.mean(keras.losses.mean_squared_error(y, pred_y))


def np_to_tensor(list_of_numpy_objs):
    return (tf.convert_to_tensor(obj) for obj in list_of_numpy_objs)


def compute_loss(model, x, y, loss_fn=loss_function):
    logits = model.forward(x)
    mse = loss_fn(y, logits)
    return mse, logits


def copy_model(model, x):
    copied_model = SineModel()
    copied_model.forward(tf.convert_to_tensor(x))
    copied_model.set_weights(model.get_weights())
    return copied_model


def inner_sgd_step(model_copy, x, y, lr_inner):
    with tf.GradientTape() as train_tape:
        train_loss, _ = compute_loss(model_copy, x, y)
    gradients = train_tape.gradient(train_loss, model_copy.trainable_variables)
    k = 0
    for j in range(len(model_copy.layers)):
        model_copy.layers[j].kernel = tf.subtract(model_copy.layers[j].kernel,
                    tf.multiply(lr_inner, gradients[k]))
        model_copy.layers[j].bias = tf.subtract(model_copy.layers[j].bias,
                    tf.multiply(lr_inner, gradients[k+1]))
        k += 2


def train_maml(model, epochs, dataset, lr_inner=0.01, inner_steps=2):
    optimizer = keras.optimizers.Adam()
    for _ in range(epochs):
        for i, t in enumerate(random.sample(dataset, len(dataset))):
            x, y = np_to_tensor(t.batch())
            model.forward(x)  # run forward pass to initialize weights
            with tf.GradientTape() as test_tape:
                model_copy = copy_model(model, x)
                for step in range(inner_steps):
                    print("inner step", step, "trainable variables of the copy:",
                          len(model_copy.trainable_variables))
                    inner_sgd_step(model_copy, x, y, lr_inner)
                test_loss, logits = compute_loss(model_copy, x, y)
            gradients = test_tape.gradient(test_loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            print("task", i, "test loss", float(test_loss))


train_ds = [SinusoidGenerator(K=10) for _ in range(2)]
maml = SineModel()
train_maml(maml, 1, train_ds)
