"""Physics-informed network for the time-independent Schroedinger equation, from a
Stack Overflow question: `schrodinger_loss` is a `tf.function` that nests two
persistent tapes to get psi'' with respect to the collocation points `x`. Only the
inner tape calls `tape1.watch(x)`; `x` is a plain tensor (not a variable), so the
outer tape `tape2` never records anything about it and `tape2.gradient(dpsi_dx, x)`
returns None. The user saw `d2psi_dx2` printed as None; the PDE residual
`-d2psi_dx2 + ...` then fails because it negates None. The fix is `tape2.watch(x)`
before the inner tape opens (and, as answers add, a smooth activation, since a ReLU
network's second derivative is zero).
---
source: https://coderapp.vercel.app/answer/78712449
framework: both
outcome: error
cause: unwatched_tensor
line: 38
variables: [x]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf


class QuantumPINNSolver:
    def __init__(self, potential_func):
        self.potential_func = potential_func
        self.model = self.build_model()

    def build_model(self):
        return tf.keras.Sequential([
            tf.keras.Input(shape=(1,), dtype=tf.float64),
            tf.keras.layers.Dense(50, activation='relu', dtype=tf.float64),
            tf.keras.layers.Dense(50, activation='relu', dtype=tf.float64),
            tf.keras.layers.Dense(50, activation='relu', dtype=tf.float64),
            tf.keras.layers.Dense(1, activation=None, dtype=tf.float64)
        ])

    @tf.function
    def schrodinger_loss(self, x, E):
        with tf.GradientTape(persistent=True) as tape2:
            with tf.GradientTape(persistent=True) as tape1:
                tape1.watch(x)
                psi = self.model(x)
            dpsi_dx = tape1.gradient(psi, x)
        d2psi_dx2 = tape2.gradient(dpsi_dx, x)

        print("psi:", psi)
        print("dpsi_dx:", dpsi_dx)
        print("d2psi_dx2:", d2psi_dx2)  # This is always None

        V_x = self.potential_func(x)
        schrodinger_eq = -d2psi_dx2 + (V_x - E) * psi
        return tf.reduce_mean(tf.square(schrodinger_eq))


# Usage
def harmonic_oscillator_potential(x):
    return 0.5 * tf.square(x)


solver = QuantumPINNSolver(potential_func=harmonic_oscillator_potential)
x = tf.random.uniform((100, 1), minval=-5, maxval=5, dtype=tf.float64)
E = tf.constant(0.5, dtype=tf.float64)
loss = solver.schrodinger_loss(x, E)
print("loss:", loss)
