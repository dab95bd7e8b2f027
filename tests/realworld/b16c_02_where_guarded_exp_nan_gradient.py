"""A count-regression model ends in a custom "rate" layer that is meant to be
exp(z) for small z and linear for large z, written with `tf.where(z > 30, z,
tf.exp(z))` so that, the user thought, the exponential can never blow up. The
inputs are raw, unscaled count differences, so some pre-activations are in the hundreds.
The forward pass is finite (the large values take the linear branch), but the
gradients of every layer below the rate layer are NaN, and after the first
optimizer step the weights and the loss are NaN. The cause: `tf.where` still
back-propagates through the branch it did not select; there exp(z) is inf, and
the zero mask times the infinite local gradient gives NaN, which is summed into
the kernel gradients. The fix is to make the unselected branch safe too, e.g.
`tf.exp(tf.minimum(z, 30.))` inside the `tf.where` (or use `tf.nn.softplus`).

---
source: https://github.com/tensorflow/tensorflow/issues/2540
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 34
variables: [hidden, rate_dense]
static: false
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras


class SoftExpRate(keras.layers.Layer):
    """exp(z) below a threshold, identity above it."""

    def call(self, z):
        return tf.where(z > 30.0, z, tf.exp(z))


def build_model():
    inp = keras.Input((6,))
    h = keras.layers.Dense(16, activation="relu", name="hidden")(inp)
    z = keras.layers.Dense(1, name="rate_dense")(h)
    return keras.Model(inp, SoftExpRate(name="rate")(z))


counts = np.random.randint(-1000, 1000, size=(64, 6)).astype("float32")
targets = np.random.poisson(5.0, size=(64, 1)).astype("float32")

model = build_model()
optimizer = keras.optimizers.SGD(1e-4)
for step in range(2):
    with tf.GradientTape() as tape:
        rate = model(counts, training=True)
        loss = tf.reduce_mean(rate - targets * tf.math.log(rate + 1e-6))
    grads = tape.gradient(loss, model.trainable_variables)
    print(f"step {step}: loss {float(loss):.4f}, max rate {float(tf.reduce_max(rate)):.1f}")
    for v, g in zip(model.trainable_variables, grads):
        print(f"   {v.path if hasattr(v, 'path') else v.name}: grad has NaN = {bool(tf.reduce_any(tf.math.is_nan(g)))}")
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
