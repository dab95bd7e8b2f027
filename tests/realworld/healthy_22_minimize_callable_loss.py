"""tf.keras.optimizers.SGD API usage: `opt.minimize(loss, var_list=[var])` where `loss`
is a zero-argument callable (lambda: (var ** 2) / 2.0), so the optimizer runs the forward
pass under its own tape. Used here for the documented scalar example and for a small
Keras regression model (callable closes over the batch). No explicit GradientTape.
tf-keras only: Keras 3 optimizers have no minimize().

---
source: https://www.tensorflow.org/versions/r2.1/api_docs/python/tf/keras/optimizers/SGD.md.txt
framework: keras2
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace

opt = tf.keras.optimizers.SGD(learning_rate=0.1)
var = tf.Variable(1.0)
loss = lambda: (var ** 2) / 2.0  # d(loss)/d(var1) = var1
step_count = opt.minimize(loss, [var])
print("var after one step", var.numpy())
assert np.isclose(var.numpy(), 0.9)

model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(1)])
x = np.random.rand(64, 4).astype("float32")
y = x.sum(axis=1, keepdims=True)
mse = tf.keras.losses.MeanSquaredError()
optimizer = tf.keras.optimizers.Adam(1e-2)
before = [v.numpy().copy() for v in model.trainable_variables]
losses = []
for step in range(40):
    loss_fn = lambda: mse(y, model(x, training=True))
    optimizer.minimize(loss_fn, var_list=model.trainable_variables)
    losses.append(float(mse(y, model(x))))
print("loss", losses[0], "->", losses[-1])
assert losses[-1] < losses[0]
assert all(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
print("ok")
