"""Debugging cleverhans' ProjectedGradientDescent: the attack starts from a random point,
`adv_x = x + eta`, and later asks for the gradient of the loss with respect to the adversarial
input. The user's check rebuilds the expression instead of reusing the tensor the logits were
computed from: `tf.gradients(model(x + eta), x + eta)` (their minimal form: `tf.gradients(x+1,
x+1)`). Every `x + eta` creates a NEW Add op; the source handed to tf.gradients is not on the path
from x to the logits, so the gradient is [None] and `tf.sign(grad)` in the FGM step fails. As the
maintainer answers, gradients are taken with respect to a tensor, not an expression: pass the
very `adv_x` object that was fed to the model.
---
source: https://github.com/cleverhans-lab/cleverhans/issues/1051
framework: both
outcome: error
cause: disconnected
line: 44
variables: ["x + eta"]
also: [wrong_sources]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

np.random.seed(0)
tf.random.set_seed(0)

eps, eps_iter, nb_iter = 0.3, 0.05, 3

model = tf.keras.Sequential([
    tf.keras.Input(shape=(28, 28, 1)),
    tf.keras.layers.Conv2D(8, 3, activation="relu"),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(10),
])


def clip_eta(eta, ord, eps):
    return tf.clip_by_value(eta, -eps, eps)


@tf.function
def fgm_step(x, eta, y):
    adv_x = x + eta
    logits = model(adv_x)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
    grad, = tf.gradients(loss, x + eta)
    print("gradient of the loss w.r.t. x + eta:", grad)
    optimal_perturbation = tf.sign(grad)
    adv_x = adv_x + eps_iter * optimal_perturbation
    return adv_x


def projected_gradient_descent(x, y):
    eta = tf.random.uniform(tf.shape(x), -eps, eps)
    eta = clip_eta(eta, np.inf, eps)
    adv_x = x + eta
    for i in range(nb_iter):
        adv_x = fgm_step(x, adv_x - x, y)
        eta = clip_eta(adv_x - x, np.inf, eps)
        adv_x = tf.clip_by_value(x + eta, 0.0, 1.0)
    return adv_x


x = tf.random.uniform((4, 28, 28, 1))
y = tf.constant(np.random.randint(0, 10, size=4))
adv = projected_gradient_descent(x, y)
print(float(tf.reduce_max(tf.abs(adv - x))))
