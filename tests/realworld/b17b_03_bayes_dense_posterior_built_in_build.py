"""A user trained a small Bayesian regression net made of TFP `DenseReparameterization` /
`DenseFlipout` layers with a custom GradientTape loop in TF2 eager mode. The optimizer
warned "Gradients do not exist for variables [... kernel_posterior_untransformed_scale,
... bias_posterior_loc]" and the posterior scales never moved; only the kernel means
trained. Why: these old-style layers built their posterior distribution objects once, in
`build()`. That turned `softplus(untransformed_scale)` (and a wrapped copy of the bias loc)
into eager tensors before any tape existed. Later calls sampled from those frozen tensors,
so nothing linked the loss back to those variables. The maintainers' fix was to rebuild the
posterior on every call (the `DenseVariational` style, where the posterior comes from a
function evaluated in `call`). Here the layer is rewritten in plain Keras: `build()` makes
the variables and, like the library, computes the derived posterior tensors right away.
---
source: https://github.com/tensorflow/probability/issues/409
framework: both
outcome: warning
cause: outside_tape
line: [45, 46]
variables: [kernel_rho, bias_loc]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras


class DenseReparameterization(keras.layers.Layer):
    """Mean-field Gaussian kernel, point-mass bias, posterior made in build()."""

    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        d = int(input_shape[-1])
        self.kernel_loc = self.add_weight(name="kernel_loc", shape=(d, self.units),
                                          initializer="glorot_uniform")
        self.kernel_rho = self.add_weight(name="kernel_rho", shape=(d, self.units),
                                          initializer=keras.initializers.Constant(-3.0))
        self.bias_loc = self.add_weight(name="bias_loc", shape=(self.units,),
                                        initializer="zeros")
        # "posterior distributions" built once, as the library's build() did
        self.kernel_scale = tf.nn.softplus(self.kernel_rho) + 1e-5
        self.bias_mean = tf.identity(self.bias_loc)

    def call(self, x):
        eps = tf.random.normal(tf.shape(self.kernel_loc))
        kernel = self.kernel_loc + self.kernel_scale * eps
        return self.activation(tf.matmul(x, kernel) + self.bias_mean)


class BNN(keras.Model):
    def __init__(self):
        super().__init__()
        self.h = DenseReparameterization(16, activation="relu", name="flip_1")
        self.out = DenseReparameterization(1, name="flip_2")

    def build(self, input_shape):
        self.h.build(input_shape)
        self.out.build((input_shape[0], 16))

    def call(self, x):
        return self.out(self.h(x))


x = np.linspace(-3, 3, 256).astype("float32")[:, None]
y = (np.sin(x) + 0.1 * np.random.randn(*x.shape)).astype("float32")

model = BNN()
model.build((None, 1))
print("prediction before training:", model(x[:2]).numpy().ravel())
optimizer = keras.optimizers.Adam(1e-2)
rho_before = model.h.kernel_rho.numpy().copy()

for step in range(10):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((model(x) - y) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

print("final loss:", float(loss))
print("None gradients:", [v.name for v, g in zip(model.trainable_variables, grads) if g is None])
print("flip_1 kernel_rho changed:", bool(np.any(model.h.kernel_rho.numpy() != rho_before)))
