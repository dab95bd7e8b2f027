"""The reporter found that tf.linalg.normalize(np.zeros([10, 4]), ord=1, axis=-1)
returns NaN: the norm of an all-zero row is 0 and the op divides by it. Here the call
sits where users put it, inside a model: a ReLU feature layer is L1-normalised row
by row into proportions before the output head, trained in a custom GradientTape
loop. Every row whose ReLU features are all zero (padding rows of zeros) yields
0/0 = NaN in the forward pass, so the loss and every gradient are NaN and one
apply_gradients step turns all weights into NaN, with no exception. The maintainers
answered that this is working as intended (normalising 0 is undefined) and pointed
to tf.math.l2_normalize, which clamps the norm with an epsilon; dividing by
(norm + eps) also fixes it.
---
source: https://github.com/tensorflow/tensorflow/issues/35257
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 33
variables: [features/kernel, head/kernel, head/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)


class ProportionModel(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.features = tf.keras.layers.Dense(4, activation="relu", use_bias=False, name="features")
        self.head = tf.keras.layers.Dense(1, name="head")

    def call(self, x):
        h = self.features(x)
        p, _ = tf.linalg.normalize(h, ord=1, axis=-1)   # rows of h that are all zero -> NaN
        return self.head(p)


model = ProportionModel()
optimizer = tf.keras.optimizers.Adam(1e-2)
x = np.random.rand(32, 6).astype("float32")
x[::4] = 0.0                                  # padded (all-zero) samples
y = np.random.rand(32, 1).astype("float32")

for step in range(3):
    with tf.GradientTape() as tape:
        pred = model(x)
        loss = tf.reduce_mean(tf.square(pred - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"step {step}: loss={float(loss):.4f}",
          {getattr(v, "path", v.name): bool(np.isnan(g.numpy()).any()) for v, g in zip(model.trainable_variables, grads)})
print("weights NaN after training:", [bool(np.isnan(v.numpy()).any()) for v in model.trainable_variables])
