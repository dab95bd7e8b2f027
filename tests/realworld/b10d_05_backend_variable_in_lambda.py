"""The user wants trainable scalar parameters in a Keras model (for a
physics-style fit y = w*x + b with a learnable constant). In raw TensorFlow they
use `tf.Variable`; in Keras they create `b = k.backend.variable(1.0, name="b")`
and add it inside a `Lambda(lambda x: x + b, name="Add")` layer after a
bias-free `Dense(1, name="Fx")`. `model.fit` runs and the loss goes down, but
`b` never changes during optimisation (only Fx/kernel trains), unlike the
tf.Variable version. Root cause: a variable captured in a Lambda
closure is not a weight of any layer, so it is not in
`model.trainable_weights` and the optimizer never receives a gradient for it.
The fix is to create the parameter with `add_weight` in a custom layer. Under
Keras 3 `keras.backend.variable` is gone, so the same closure is built with
`keras.Variable`; the behaviour is the same (Keras 2 additionally logs a
warning that the Lambda layer captured a variable that will not be tracked).
---
source: https://github.com/keras-team/keras/issues/13106
framework: both
outcome: trains_silently
cause: untracked_variable
line: [38, 39]
variables: [b]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tensorflow.keras as k

tf.keras.utils.set_random_seed(0)

b_true = 3.0
w_true = 5.0
x_true = np.linspace(0.0, 1.0, 1000).reshape(-1, 1).astype("float32")
y_true = x_true * w_true + b_true

make_variable = getattr(k.backend, "variable", None) or k.Variable

x = k.Input((1,), dtype="float32", name="x")
Fx = k.layers.Dense(1, use_bias=False, name="Fx")(x)
b = make_variable(1.0, name="b")
y = k.layers.Lambda(lambda x: x + b, name="Add")(Fx)

model = k.Model(inputs=[x], outputs=[y])
model.compile(k.optimizers.Adam(0.05), loss="mse")
print("trainable:", [w.name for w in model.trainable_weights])
b_before = float(k.backend.get_value(b)) if hasattr(k.backend, "get_value") else float(b.numpy())
model.fit(x_true, [y_true], epochs=40, batch_size=1000, verbose=0)
print("loss:", model.evaluate(x_true, y_true, verbose=0))
print("b before/after:", b_before, float(k.backend.get_value(b)) if hasattr(k.backend, "get_value") else float(b.numpy()),
      "w:", model.get_layer("Fx").get_weights()[0].ravel())
