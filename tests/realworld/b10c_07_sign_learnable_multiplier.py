"""The asker has a custom Keras layer `LearnableMultiplier` that holds one
trainable vector and multiplies the input by it element-wise; they want every
entry of the vector to be either +1 or -1. The accepted answer changes `call()`
to `return inputs * tf.math.sign(self.kernel)`. That runs and `fit` reports no
error, but the gradient of `tf.sign` is zero everywhere, so the kernel receives an
all-zero gradient at every step: the signs chosen by the random initialisation
are never changed and the loss stays flat. Fix: keep a real-valued latent weight
and binarise with a straight-through estimator, e.g.
`w = self.kernel + tf.stop_gradient(tf.sign(self.kernel) - self.kernel)`, or
`tf.custom_gradient` that passes the gradient through.
---
source: https://py4u.org/questions/75565838/
framework: both
outcome: trains_silently
cause: nondifferentiable_op
line: 40
also: [zero_gradient]
variables: [learnable_multiplier/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Layer
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.models import Model

tf.keras.utils.set_random_seed(0)


class LearnableMultiplier(Layer):
    def __init__(self, **kwargs):
        super(LearnableMultiplier, self).__init__(**kwargs)

    def build(self, input_shape):
        self.kernel = self.add_weight(name='kernel', shape=(input_shape[-1],),
                                      initializer='glorot_uniform', trainable=True)
        super(LearnableMultiplier, self).build(input_shape)

    def call(self, inputs):
        return inputs * tf.math.sign(self.kernel)


inputs = Input(shape=(64,))
multiplier = LearnableMultiplier(name="learnable_multiplier")(inputs)
model = Model(inputs=inputs, outputs=multiplier)
print([getattr(v, "path", v.name) for v in model.trainable_variables])

true_signs = np.where(np.random.rand(64) > 0.5, 1.0, -1.0).astype("float32")
x = np.random.randn(512, 64).astype("float32")
y = x * true_signs

model.compile(optimizer="adam", loss="mse")
before = model.get_weights()[0].copy()
hist = model.fit(x, y, epochs=3, batch_size=64, verbose=0)
print("loss per epoch:", [round(l, 5) for l in hist.history["loss"]])
print("kernel changed:", bool(np.any(before != model.get_weights()[0])))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(model(x[:64]) - y[:64]))
print("max |grad|:", float(tf.reduce_max(tf.abs(tape.gradient(loss, model.trainable_variables[0])))))
