"""Physics-informed neural network for the viscous Burgers equation, adapted from janblechschmidt/PDEsByNNs (PINN_Solver.ipynb). `get_r` opens a persistent tape, `tape.watch`es the collocation coordinates `t` and `x` (plain tensors sliced from `X_r`), and takes `u_x = tape.gradient(u, x)` *inside* the tape so that `u_xx = tape.gradient(u_x, x)` can be taken after it; the residual `u_t + u*u_x - viscosity*u_xx` enters the loss, and `get_grad` wraps the whole computation in an outer persistent tape to get the parameter gradients (the notebook also calls `tape.watch(model.trainable_variables)` there, which is redundant and raises "Passed in object ... of type 'Variable'" under Keras 3, so it is left out). The input-scaling `Lambda` layer, float64 as Keras float type and the piecewise-constant learning-rate schedule are kept; 10000 collocation points become 200, and three `@tf.function` training steps are run. TensorFlow logs its "Calling GradientTape.gradient on a persistent tape inside its context is significantly less efficient" warning, which is expected here: the inner gradient is taken inside the tape on purpose.
---
source: https://github.com/janblechschmidt/PDEsByNNs/blob/main/PINN_Solver.ipynb
framework: both
outcome: trains_fine
cause: none
line: 0
variables: []
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

# Set data type
DTYPE = 'float64'
tf.keras.backend.set_floatx(DTYPE)

# Set constants
pi = tf.constant(np.pi, dtype=DTYPE)
viscosity = .01/pi


# Define initial condition
def fun_u_0(x):
    return -tf.sin(pi * x)


# Define boundary condition
def fun_u_b(t, x):
    n = x.shape[0]
    return tf.zeros((n, 1), dtype=DTYPE)


# Define residual of the PDE
def fun_r(t, x, u, u_t, u_x, u_xx):
    return u_t + u * u_x - viscosity * u_xx


# Set number of data points
N_0 = 50
N_b = 50
N_r = 200

# Set boundary
tmin = 0.
tmax = 1.
xmin = -1.
xmax = 1.

# Lower bounds
lb = tf.constant([tmin, xmin], dtype=DTYPE)
# Upper bounds
ub = tf.constant([tmax, xmax], dtype=DTYPE)

# Draw uniform sample points for initial boundary data
t_0 = tf.ones((N_0, 1), dtype=DTYPE)*lb[0]
x_0 = tf.random.uniform((N_0, 1), lb[1], ub[1], dtype=DTYPE)
X_0 = tf.concat([t_0, x_0], axis=1)

# Evaluate intitial condition at x_0
u_0 = fun_u_0(x_0)

# Boundary data
t_b = tf.random.uniform((N_b, 1), lb[0], ub[0], dtype=DTYPE)
x_b = lb[1] + (ub[1] - lb[1]) * tf.keras.backend.random_bernoulli((N_b, 1), 0.5, dtype=DTYPE)
X_b = tf.concat([t_b, x_b], axis=1)

# Evaluate boundary condition at (t_b,x_b)
u_b = fun_u_b(t_b, x_b)

# Draw uniformly sampled collocation points
t_r = tf.random.uniform((N_r, 1), lb[0], ub[0], dtype=DTYPE)
x_r = tf.random.uniform((N_r, 1), lb[1], ub[1], dtype=DTYPE)
X_r = tf.concat([t_r, x_r], axis=1)

# Collect boundary and inital data in lists
X_data = [X_0, X_b]
u_data = [u_0, u_b]


def init_model(num_hidden_layers=8, num_neurons_per_layer=20):
    # Initialize a feedforward neural network
    model = tf.keras.Sequential()

    # Input is two-dimensional (time + one spatial dimension)
    model.add(tf.keras.Input((2,)))

    # Introduce a scaling layer to map input to [lb, ub]
    scaling_layer = tf.keras.layers.Lambda(
                lambda x: 2.0*(x - lb)/(ub - lb) - 1.0)
    model.add(scaling_layer)

    # Append hidden layers
    for _ in range(num_hidden_layers):
        model.add(tf.keras.layers.Dense(num_neurons_per_layer,
            activation=tf.keras.activations.get('tanh'),
            kernel_initializer='glorot_normal'))

    # Output is one-dimensional
    model.add(tf.keras.layers.Dense(1))

    return model


def get_r(model, X_r):

    # A tf.GradientTape is used to compute derivatives in TensorFlow
    with tf.GradientTape(persistent=True) as tape:
        # Split t and x to compute partial derivatives
        t, x = X_r[:, 0:1], X_r[:, 1:2]

        # Variables t and x are watched during tape
        # to compute derivatives u_t and u_x
        tape.watch(t)
        tape.watch(x)

        # Determine residual
        u = model(tf.stack([t[:, 0], x[:, 0]], axis=1))

        # Compute gradient u_x within the GradientTape
        # since we need second derivatives
        u_x = tape.gradient(u, x)

    u_t = tape.gradient(u, t)
    u_xx = tape.gradient(u_x, x)

    del tape

    return fun_r(t, x, u, u_t, u_x, u_xx)


def compute_loss(model, X_r, X_data, u_data):

    # Compute phi^r
    r = get_r(model, X_r)
    phi_r = tf.reduce_mean(tf.square(r))

    # Initialize loss
    loss = phi_r

    # Add phi^0 and phi^b to the loss
    for i in range(len(X_data)):
        u_pred = model(X_data[i])
        loss += tf.reduce_mean(tf.square(u_data[i] - u_pred))

    return loss


def get_grad(model, X_r, X_data, u_data):

    with tf.GradientTape(persistent=True) as tape:
        # This tape is for derivatives with
        # respect to trainable variables (the notebook's redundant
        # tape.watch(model.trainable_variables) is dropped: Keras 3
        # variables are not accepted by tape.watch)
        loss = compute_loss(model, X_r, X_data, u_data)

    g = tape.gradient(loss, model.trainable_variables)
    del tape

    return loss, g


# Initialize model aka u_\theta
model = init_model()

lr = tf.keras.optimizers.schedules.PiecewiseConstantDecay([1000, 3000], [1e-2, 1e-3, 5e-4])

# Choose the optimizer
optim = tf.keras.optimizers.Adam(learning_rate=lr)


# Define one training step as a TensorFlow function to increase speed of training
@tf.function
def train_step():
    # Compute current loss and gradient w.r.t. parameters
    loss, grad_theta = get_grad(model, X_r, X_data, u_data)

    # Perform gradient descent step
    optim.apply_gradients(zip(grad_theta, model.trainable_variables))

    return loss


before = [v.numpy().copy() for v in model.trainable_variables]

# Number of training epochs
N = 2
hist = []

for i in range(N+1):

    loss = train_step()

    # Append current loss to hist
    hist.append(loss.numpy())

    # Output current loss after 50 iterates
    if i % 50 == 0:
        print('It {:05d}: loss = {:10.8e}'.format(i, loss))

changed = sum(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
print("losses:", [float(h) for h in hist])
print("trainable variables changed: %d/%d" % (changed, len(before)))
assert np.all(np.isfinite(hist))
assert changed == len(before)
