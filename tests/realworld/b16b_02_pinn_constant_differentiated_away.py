"""A user porting a physics-informed network for two-phase flow in porous media
(gas saturation and pressure predicted from time and position) to TF2 wrote the
PDE residual as a custom Keras layer that owns two trainable physical constants
created with `add_weight`. The residual is
    -ds/dt - (1 - s) / c2 * d/dx[ k * (dp/dx - c1) ]
where `c1` is a gravity-like offset subtracted from the pressure gradient and
`k` is the permeability input. Training failed with "Variable constant1 has
None for gradient" (here: the gradient for `constant1` printed as None, while
`constant2` and the network weights receive gradients). The cause is in the
physics, not in TensorFlow: `c1` only appears inside a term that is
differentiated with respect to `x`, and neither `c1` nor `k` depend on `x`,
so d/dx(k * c1) is identically zero and the gradient tape records no path from
`constant1` to the loss. The fix is to put the constant where it survives the
derivative (e.g. make the permeability a function of position, or move the
source term out of the divergence), or to drop it as a trainable weight.
---
source: https://github.com/maziarraissi/PINNs/issues/40
framework: both
outcome: gradient_none
cause: disconnected
also: [unused_variable]
line: [63]
variables: [constant1]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras


def build_field_network():
    t_in = keras.Input(shape=(1,), name="t")
    x_in = keras.Input(shape=(1,), name="x")
    h = keras.layers.Concatenate()([t_in, x_in])
    h = keras.layers.Dense(16, activation="tanh")(h)
    h = keras.layers.Dense(16, activation="tanh")(h)
    gas = keras.layers.Dense(1, activation="sigmoid", name="gas")(h)
    pressure = keras.layers.Dense(1, name="pressure")(h)
    return keras.Model([t_in, x_in], [gas, pressure], name="field_net")


class FlowResidual(keras.layers.Layer):
    """PDE residual with two trainable physical constants."""

    def build(self, input_shape):
        self.constant1 = self.add_weight(name="constant1", shape=(1,),
                                         initializer="random_normal", trainable=True)
        self.constant2 = self.add_weight(name="constant2", shape=(1,),
                                         initializer="ones", trainable=True)
        super().build(input_shape)

    def call(self, inputs, net=None):
        t, x, perm = inputs
        with tf.GradientTape() as outer_x:
            outer_x.watch(x)
            with tf.GradientTape(persistent=True) as inner:
                inner.watch([t, x])
                gas, pressure = net([t, x])
            ds_dt = inner.gradient(gas, t)
            dp_dx = inner.gradient(pressure, x)
            flux = perm * (dp_dx - self.constant1)
        dflux_dx = outer_x.gradient(flux, x)
        coeff = (1.0 - gas) / self.constant2
        return -ds_dt - coeff * dflux_dx, gas, pressure


class PINNTrainer:
    def __init__(self):
        self.net = build_field_network()
        self.residual = FlowResidual(name="eqn1")
        self.optimizer = keras.optimizers.Adam(1e-3)

    def variables(self):
        return self.net.trainable_variables + self.residual.trainable_variables

    def train_step(self, t, x, perm, gas_obs, p_obs):
        with tf.GradientTape() as tape:
            res, gas, pressure = self.residual([t, x, perm], net=self.net)
            data_loss = tf.reduce_mean(tf.square(gas - gas_obs)) + \
                tf.reduce_mean(tf.square(pressure - p_obs))
            loss = data_loss + tf.reduce_mean(tf.square(res))
        variables = self.variables()
        grads = tape.gradient(loss, variables)
        return loss, grads, variables


def main():
    rng = np.random.default_rng(0)
    n = 64
    t = tf.constant(rng.random((n, 1)), tf.float32)
    x = tf.constant(rng.random((n, 1)), tf.float32)
    perm = tf.constant(rng.random((n, 1)) + 0.5, tf.float32)
    gas_obs = tf.constant(rng.random((n, 1)), tf.float32)
    p_obs = tf.constant(rng.random((n, 1)), tf.float32)

    trainer = PINNTrainer()
    loss, grads, variables = trainer.train_step(t, x, perm, gas_obs, p_obs)
    print("loss:", float(loss))
    for g, v in zip(grads, variables):
        if "constant" in v.name:
            print(v.name, "gradient:", None if g is None else g.numpy())


if __name__ == "__main__":
    main()
