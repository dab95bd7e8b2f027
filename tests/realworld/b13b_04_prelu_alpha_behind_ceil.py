"""A user testing many randomly-structured Keras models reported that, only for some
structures, tf.keras.layers.PReLU (with a constant alpha initializer) triggered
"Gradients do not exist for variables ['p_re_lu/alpha:0'] when minimizing the loss",
and suspected a PReLU bug. The maintainer's answer: in those structures the PReLU
output goes through tf.math.ceil, whose gradient is None by design, so nothing flows
back to alpha; the other layers still get gradients through the skip branch and
train, which is why only alpha is reported. Fix: do not put ceil (or round/floor) on
the training path, or wrap it in a tf.custom_gradient straight-through estimator.
---
source: https://github.com/keras-team/keras/issues/15716
framework: both
outcome: warning
cause: nondifferentiable_op
line: [26, 36]
variables: [p_re_lu/alpha]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

layers = tf.keras.layers


def ceil_fn(t):
    return tf.math.ceil(t)


def build_model():
    # One of the generated "strange structures": a PReLU branch that is rounded
    # up with ceil and merged back with the dense features.
    inp = layers.Input(shape=(8,), name="x")
    h = layers.Dense(8, name="dense")(inp)
    a = layers.PReLU(alpha_initializer=tf.keras.initializers.Constant(0.25),
                     name="p_re_lu")(h)
    c = layers.Lambda(ceil_fn, name="ceil")(a)
    m = layers.Add(name="add")([c, h])
    out = layers.Dense(1, name="out")(m)
    return tf.keras.Model(inp, out)


x = np.random.randn(64, 8).astype("float32")
y = np.random.randn(64, 1).astype("float32")

model = build_model()
model.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="mse")
alpha_before = model.get_layer("p_re_lu").get_weights()[0].copy()
dense_before = model.get_layer("dense").get_weights()[0].copy()
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print("alpha changed:", not np.allclose(alpha_before, model.get_layer("p_re_lu").get_weights()[0]))
print("dense kernel changed:", not np.allclose(dense_before, model.get_layer("dense").get_weights()[0]))
