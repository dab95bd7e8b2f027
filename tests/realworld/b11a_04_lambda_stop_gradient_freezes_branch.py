"""The user wrapped part of a tf.keras functional model in
`Lambda(lambda t: tf.stop_gradient(t))` so that the loss would not
back-propagate into the layers before it, then compiled with
`tf.keras.optimizers.Adam()`. In TF 1.12 fit() crashed with "ValueError: An
operation has `None` for gradient" (the old Keras optimizer refused None
gradients); current Kerases train the head and warn "Gradients do not exist
for variables ['feature/kernel', 'feature/bias']". The cause is the same: the
StopGradient op sits on the only path from the `feature` Dense layer to the
loss, so its variables get None gradients and never change. Fix: if those
layers are meant to stay fixed, mark them trainable=False instead of relying
on None gradients; if they should learn, remove the stop_gradient. (The
issue's full script is not reproduced verbatim; this keeps its shape:
input -> Dense -> Lambda(stop_gradient) -> Dense, compiled with Adam.)
---
source: https://github.com/tensorflow/tensorflow/issues/26557
framework: both
outcome: warning
cause: stop_gradient
line: 31
variables: [feature/kernel, feature/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.keras.models import Model
from tensorflow.keras.layers import Input, Dense, Lambda

inputs = Input(shape=(10,))
features = Dense(16, activation="relu", name="feature")(inputs)
features = Lambda(lambda t: tf.stop_gradient(t), name="stop_grad")(features)
outputs = Dense(1, name="head")(features)
model = Model(inputs=inputs, outputs=outputs)
model.compile(optimizer=tf.keras.optimizers.Adam(), loss="mse")

x = np.random.rand(64, 10).astype("float32")
y = np.random.rand(64, 1).astype("float32")
before = model.get_layer("feature").get_weights()[0].copy()
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print("feature layer changed:", not np.allclose(before, model.get_layer("feature").get_weights()[0]))
