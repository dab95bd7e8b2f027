"""The asker trains the simplest regression network: a = Wx + b, o = ReLU(a),
J = (t - o)^2, with online learning (one sample per step), and picks ReLU on the
output because the targets are always positive. With a bad weight initialisation the
pre-activation is negative for every training input, so o = 0 everywhere and
dJ/dW = dJ/do * do/da * da/dW has do/da = 0: the gradient is exactly zero, the
network never learns, and no error or warning is raised. The answers confirm this
(a dead ReLU output unit) and recommend a linear (or softplus) output for
regression.
---
source: https://math.techqa.club/are-relu-a-very-bad-choice-as-last-layer-for-regression-4483706
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: 29
variables: [out/kernel, out/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

x = np.random.rand(200, 5).astype("float32")                 # features in [0, 1)
t = (x @ np.array([1.0, 2.0, 0.5, 1.5, 1.0], "float32") + 0.3)[:, None]   # targets > 0

bad_init = tf.keras.initializers.RandomUniform(minval=-1.0, maxval=-0.2, seed=0)
model = tf.keras.Sequential([
    tf.keras.Input(shape=(5,)),
    tf.keras.layers.Dense(1, activation="relu", name="out",
                          kernel_initializer=bad_init, bias_initializer="zeros"),
])
model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.01), loss="mse")

w_before = [w.numpy().copy() for w in model.trainable_weights]
hist = model.fit(x, t, epochs=3, batch_size=1, verbose=0)   # online learning
print("loss per epoch:", [round(v, 6) for v in hist.history["loss"]])

with tf.GradientTape() as tape:
    o = model(x)
    J = tf.reduce_mean(tf.square(t - o))
grads = tape.gradient(J, model.trainable_weights)
for w, g, b in zip(model.trainable_weights, grads, w_before):
    print(w.name, "grad max |g| =", float(tf.reduce_max(tf.abs(g))),
          "| unchanged" if np.array_equal(w.numpy(), b) else "| CHANGED")
