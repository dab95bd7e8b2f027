"""The user wants to prune a dense layer: some weights should be fixed at zero
(masked) while the others keep training. They wrote a custom layer that creates
its kernel with `add_weight` in `build()` and then immediately multiplies it by a
constant 0/1 mask, storing the product back in `self.kernel`; `call()` uses
`self.kernel`. After that the masked weight matrix "is no longer trainable"
(it worked in TF1 graph mode). The answer in the thread: `self.kernel` is computed
outside the GradientTape scope - the product is evaluated once, at build time,
and `call()` reads that frozen tensor, so no gradient ever reaches the kernel
variable (only the bias trains). Under Keras 2 (the report's TF 2.4) the
reassignment also drops the kernel variable from `trainable_variables`, so
`fit` trains only the bias without any message; Keras 3 keeps the variable listed
and warns "Gradients do not exist for variables". Fix: keep the variable and apply the mask inside
`call()`: `tf.matmul(inputs, self.kernel * self.mask)`.
---
source: https://github.com/tensorflow/tensorflow/issues/47053
framework: keras2
outcome: trains_silently
cause: outside_tape
line: 39
also: [untracked_variable]
variables: [masked_dense/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class MaskedDense(tf.keras.layers.Layer):
    def __init__(self, units, mask, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.mask = tf.constant(mask, dtype=tf.float32)

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(int(input_shape[-1]), self.units),
                                      initializer="glorot_uniform", trainable=True)
        self.kernel = self.kernel * self.mask          # masked weights, "frozen" at zero
        self.bias = self.add_weight(name="bias", shape=(self.units,),
                                    initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel) + self.bias


mask = (np.random.rand(16, 4) > 0.5).astype("float32")
x = np.random.randn(256, 16).astype("float32")
y = x @ (np.random.randn(16, 4).astype("float32") * mask)

model = tf.keras.Sequential([tf.keras.Input(shape=(16,)),
                             MaskedDense(4, mask, name="masked_dense")])
print([getattr(v, "path", v.name) for v in model.trainable_variables])
before = model.predict(x[:4], verbose=0)
model.compile(optimizer="adam", loss="mse")
hist = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
print("loss per epoch:", [round(l, 4) for l in hist.history["loss"]])
layer = model.layers[-1]
print("trainable variables after fit:", [getattr(v, "path", v.name) for v in layer.trainable_weights])
print("kernel is now a", type(layer.kernel).__name__)
