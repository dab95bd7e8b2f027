"""A user ported the "GANs in 50 lines of code" PyTorch example to TensorFlow 2.0. The
discriminator does not look at raw samples but at four moments (mean, std, skew, kurtosis)
computed by a NumPy helper `get_moments`. The discriminator trained, but
`tape.gradient(g_error, G.trainable_variables)` returned a list of None for the generator.
The cause: inside the tape the generator output is turned into a NumPy array with
`g_fake_data.numpy()` and the moments are computed with NumPy, so the discriminator's input is a
constant that has no link back to G's weights. The fix is to compute the moments with TensorFlow
ops (tf.reduce_mean, tf.pow, ...) on the tensor itself, without `.numpy()`.
---
source: https://github.com/tensorflow/tensorflow/issues/31919
framework: both
outcome: error
cause: numpy_conversion
line: 74
variables: [g_hidden, g_map, g_out]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

data_mean, data_stddev = 4.0, 1.25
g_input_size, g_hidden_size, g_output_size = 1, 16, 1
d_input_size, d_hidden_size, d_output_size = 100, 16, 1
minibatch_size = d_input_size


def get_distribution_sampler(mu, sigma):
    return lambda n: np.random.normal(mu, sigma, (1, n)).astype("float32")


def get_generator_input_sampler():
    return lambda m, n: np.random.rand(m, n).astype("float32")


def get_moments(d):
    # Return the first 4 moments of the data provided
    mean = np.mean(d)
    diffs = d - mean
    var = np.mean(np.power(diffs, 2.0))
    std = np.power(var, 0.5)
    zscores = diffs / std
    skews = np.mean(np.power(zscores, 3.0))
    kurtoses = np.mean(np.power(zscores, 4.0)) - 3.0
    return np.array([mean, std, skews, kurtoses], dtype="float32")


G = keras.Sequential([
    keras.Input((g_input_size,)),
    keras.layers.Dense(g_hidden_size, activation="elu", name="g_hidden"),
    keras.layers.Dense(g_hidden_size, activation="sigmoid", name="g_map"),
    keras.layers.Dense(g_output_size, name="g_out"),
])
D = keras.Sequential([
    keras.Input((4,)),
    keras.layers.Dense(d_hidden_size, activation="elu", name="d_hidden"),
    keras.layers.Dense(d_hidden_size, activation="elu", name="d_map"),
    keras.layers.Dense(d_output_size, activation="sigmoid", name="d_out"),
])
criterion = keras.losses.BinaryCrossentropy()
d_optimizer = keras.optimizers.SGD(learning_rate=1e-3, momentum=0.9)
g_optimizer = keras.optimizers.SGD(learning_rate=1e-3, momentum=0.9)

d_sampler = get_distribution_sampler(data_mean, data_stddev)
gi_sampler = get_generator_input_sampler()


def train_generator():
    gen_input = gi_sampler(minibatch_size, g_input_size)
    with tf.GradientTape() as tape:
        g_fake_data = G(gen_input)
        dg_fake_decision = D(get_moments(g_fake_data.numpy().T).reshape((1, 4)))
        g_error = criterion(tf.ones([1, 1]), dg_fake_decision)  # we want to fool, so pretend it's all genuine
    grads = tape.gradient(g_error, G.trainable_variables)
    print("generator grads:", grads)
    g_optimizer.apply_gradients(zip(grads, G.trainable_variables))
    return g_error


def train_discriminator():
    d_real_data = d_sampler(d_input_size)
    d_gen_input = gi_sampler(minibatch_size, g_input_size)
    d_fake_data = G(d_gen_input).numpy().T  # detach from the generator for this step
    with tf.GradientTape() as tape:
        d_real_decision = D(get_moments(d_real_data).reshape((1, 4)))
        d_real_error = criterion(tf.ones([1, 1]), d_real_decision)
        d_fake_decision = D(get_moments(d_fake_data).reshape((1, 4)))
        d_fake_error = criterion(tf.zeros([1, 1]), d_fake_decision)
        d_error = d_real_error + d_fake_error
    grads = tape.gradient(d_error, D.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, D.trainable_variables))
    return d_error


for epoch in range(3):
    d_err = train_discriminator()
    g_err = train_generator()
    print(epoch, "D:", float(d_err), "G:", float(g_err))
