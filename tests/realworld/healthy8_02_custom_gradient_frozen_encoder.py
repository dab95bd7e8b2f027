"""Healthy program: a regression model made of a frozen encoder and a trainable head. The
head uses two `tf.custom_gradient` ops. One is the numerically stable `log1pexp`
(softplus) with its hand-written gradient, from the TensorFlow API docs for
`tf.custom_gradient`. The other is an identity whose backward pass clips the incoming
gradient's norm, the `clip_gradients` example from the TensorFlow advanced autodiff guide.
Both backward
functions return a tensor for their input, never None. The encoder is pre-trained for a few
steps, then frozen with `encoder.trainable = False`, so `model.trainable_variables` holds
only the head and its gradients all exist. The frozen encoder weights staying unchanged is
intended, not a fault.
---
source: https://www.tensorflow.org/api_docs/python/tf/custom_gradient
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))
    return tf.math.log(1 + e), grad


@tf.custom_gradient
def clip_gradient_norm(x):
    def grad(upstream):
        return tf.clip_by_norm(upstream, 1.0)
    return tf.identity(x), grad


class StableSoftplus(keras.layers.Layer):
    def call(self, x):
        # log1pexp overflows for large x in float32; keep it in the safe range.
        return log1pexp(tf.clip_by_value(x, -30.0, 30.0))


class ClipGrad(keras.layers.Layer):
    def call(self, x):
        return clip_gradient_norm(x)


d = 6
encoder = keras.Sequential([keras.Input(shape=(d,)), keras.layers.Dense(16, activation="tanh"),
                            keras.layers.Dense(8, activation="tanh")], name="encoder")
head = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16), ClipGrad(),
                         StableSoftplus(), keras.layers.Dense(1)], name="head")
inputs = keras.Input(shape=(d,))
model = keras.Model(inputs, head(encoder(inputs)))

x = np.random.randn(512, d).astype("float32")
y = (np.sum(x[:, :3] ** 2, axis=1, keepdims=True) * 0.5).astype("float32")

# stage 1: short joint training
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
model.fit(x, y, batch_size=64, epochs=3, verbose=0)

# stage 2: freeze the encoder, continue with a custom loop on the head only
encoder.trainable = False
optimizer = keras.optimizers.Adam(5e-3)
enc_before = [w.numpy().copy() for w in encoder.weights]
print("full-data mse after stage 1:", round(float(tf.reduce_mean(tf.square(model(x) - y))), 4))
ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(512, seed=0).batch(64)


@tf.function
def step(xb, yb):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss, grads


for epoch in range(6):
    for xb, yb in ds:
        loss, grads = step(xb, yb)
    full = float(tf.reduce_mean(tf.square(model(x) - y)))
    print(f"epoch {epoch}: last-batch mse={float(loss):.4f} full-data mse={full:.4f}")

assert len(model.trainable_variables) == len(head.trainable_variables) == 4
assert all(g is not None for g in grads)
print("head gradients present:", all(g is not None for g in grads))
print("encoder unchanged (frozen on purpose):",
      all(np.array_equal(a, w.numpy()) for a, w in zip(enc_before, encoder.weights)))
