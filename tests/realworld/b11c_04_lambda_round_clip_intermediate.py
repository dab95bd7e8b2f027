"""The user wants to clip and round the output of an intermediate layer to
integer levels, writing `output = Lambda(lambda x: K.round(K.clip(x, ...)))(input)`
between two Dense layers of a functional model, then compiles with MSE and
fits. In the original Keras/TF1 this raised "None values not supported";
the answer in the thread: rounding is a step function, "training your network
won't do anything past the rounding layer ... gradients don't propagate
through the rounding". In TF2 `Round` has no registered gradient, so the
layers before the Lambda get None gradients: Keras only warns that gradients
do not exist for them and keeps training the head, so the encoder never moves.
Fix: a straight-through estimator, e.g.
`x + tf.stop_gradient(tf.round(x) - x)`, or no rounding during training.
---
source: https://github.com/keras-team/keras/issues/5107
framework: both
outcome: warning
cause: nondifferentiable_op
line: 30
variables: [enc_1, enc_2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense, Lambda
from tensorflow.keras.models import Model
tf.keras.utils.set_random_seed(0)

inp = Input(shape=(6,))
h = Dense(16, activation="relu", name="enc_1")(inp)
h = Dense(4, name="enc_2")(h)
levels = Lambda(lambda x: tf.round(tf.clip_by_value(x, 0.0, 10.0)), name="quantize")(h)
out = Dense(1, name="head")(levels)
model = Model(inp, out)
model.compile(optimizer="adam", loss="mse")

x = np.random.rand(64, 6).astype("float32") * 5
y = x.sum(axis=1, keepdims=True)
enc_before = model.get_layer("enc_1").get_weights()[0].copy()
head_before = model.get_layer("head").get_weights()[0].copy()
hist = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
print("losses:", [round(v, 3) for v in hist.history["loss"]])
print("enc_1 kernel changed:", not np.allclose(enc_before, model.get_layer("enc_1").get_weights()[0]))
print("head kernel changed:", not np.allclose(head_before, model.get_layer("head").get_weights()[0]))
