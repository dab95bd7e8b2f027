"""MAML on sine-wave regression: each task clones the meta model into model_copy (set_weights with the meta model's NumPy weights), takes the inner step with train_optimizer.apply_gradients on model_copy, then asks the outer test_tape for the gradient of model_copy's test loss w.r.t. the meta model's variables, which never took part in it: every meta-gradient is None.

---
source: https://github.com/tensorflow/tensorflow/issues/61199
framework: both
outcome: error
cause: wrong_sources
line: [33, 52, 54]
also: [variable_assign, numpy_conversion]
static: false
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias, dense_2/kernel, dense_2/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tensorflow.keras as keras


def sineGenerator(amplitude=None, phase=None):
    if amplitude is None:
        amplitude = tf.random.uniform(shape=[], minval=0.1, maxval=5.0)
    if phase is None:
        phase = tf.random.uniform(shape=[], minval=0.0, maxval=np.pi)
    def _gen(x):
        return amplitude * tf.sin(x - phase)
    return _gen


def copy_model(model, x):
    copied_model = keras.models.clone_model(model)
    copied_model(x)
    copied_model.set_weights(model.get_weights())
    return copied_model


model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(40, activation="relu"),
                          keras.layers.Dense(40, activation="relu"), keras.layers.Dense(1)])
meta_optimizer = keras.optimizers.Adam(1e-3)
mse = keras.losses.MeanSquaredError()

for task in range(2):
    f = sineGenerator()
    x_train = tf.random.uniform((10, 1), -5.0, 5.0); y_train = f(x_train)
    x_test = tf.random.uniform((10, 1), -5.0, 5.0); y_test = f(x_test)
    model_copy = copy_model(model, x_train)
    train_optimizer = keras.optimizers.SGD(0.01)
    with tf.GradientTape() as test_tape:
        with tf.GradientTape() as train_tape:
            train_loss = mse(y_train, model_copy(x_train))
        gradients = train_tape.gradient(train_loss, model_copy.trainable_variables)
        train_optimizer.apply_gradients(zip(gradients, model_copy.trainable_variables))
        test_loss = mse(y_test, model_copy(x_test))
    gradients = test_tape.gradient(test_loss, model.trainable_variables)
    print("task", task, "meta-gradients:", gradients)
    meta_optimizer.apply_gradients(zip(gradients, model.trainable_variables))
