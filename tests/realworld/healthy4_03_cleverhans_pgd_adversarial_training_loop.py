"""CleverHans TF2 MNIST tutorial run with `--adv_train`: before each `train_step` the
clean batch is replaced by a PGD adversarial batch. The attack takes the gradient of the
loss with respect to the *input* (`g.watch(x)` inside a `@tf.function` compute_gradient,
with the labels guessed by `tf.argmax(model_fn(x), 1)`), takes `tf.sign` of it and wraps
the perturbation in `tf.stop_gradient`; `clip_eta` and the Python `while i < nb_iter` loop
and `if FLAGS.adv_train:` branch run outside any tape. None of this touches the weight
gradients: `train_step` (a separate `@tf.function`) runs the model on the finished
adversarial batch inside its own tape and all Net variables get gradients. tfds MNIST is
replaced by random images, the conv widths are shrunk, PGD uses 3 steps instead of 40,
and the Progbar (timings) by a rounded print.
---
source: https://github.com/cleverhans-lab/cleverhans/blob/master/tutorials/tf2/mnist_tutorial.py
framework: both
outcome: trains_fine
cause: none
line: 0
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf
from absl import app, flags
from tensorflow.keras import Model
from tensorflow.keras.layers import Dense, Dropout, Flatten, Conv2D

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()

FLAGS = flags.FLAGS


# ---- cleverhans/tf2/utils.py (inlined) ----
def clip_eta(eta, norm, eps):
    # Clipping perturbation eta to self.norm norm ball
    if norm not in [np.inf, 1, 2]:
        raise ValueError("norm must be np.inf, 1, or 2.")
    axis = list(range(1, len(eta.get_shape())))
    avoid_zero_div = 1e-12
    if norm == np.inf:
        eta = tf.clip_by_value(eta, -eps, eps)
    else:
        norm = tf.sqrt(
            tf.maximum(avoid_zero_div, tf.reduce_sum(tf.square(eta), axis, keepdims=True))
        )
        factor = tf.minimum(1.0, tf.math.divide(eps, norm))
        eta = eta * factor
    return eta


@tf.function
def compute_gradient(model_fn, loss_fn, x, y, targeted):
    with tf.GradientTape() as g:
        g.watch(x)
        # Compute loss
        loss = loss_fn(labels=y, logits=model_fn(x))
        if (
            targeted
        ):  # attack is targeted, minimize loss of target label rather than maximize loss of correct label
            loss = -loss

    # Define gradient of loss wrt input
    grad = g.gradient(loss, x)
    return grad


def optimize_linear(grad, eps, norm=np.inf):
    axis = list(range(1, len(grad.get_shape())))
    avoid_zero_div = 1e-12
    if norm == np.inf:
        # Take sign of gradient
        optimal_perturbation = tf.sign(grad)
        # The following line should not change the numerical results. It applies only because
        # `optimal_perturbation` is the output of a `sign` op, which has zero derivative anyway.
        optimal_perturbation = tf.stop_gradient(optimal_perturbation)
    elif norm == 2:
        square = tf.maximum(
            avoid_zero_div, tf.reduce_sum(tf.square(grad), axis, keepdims=True)
        )
        optimal_perturbation = grad / tf.sqrt(square)
    else:
        raise NotImplementedError("Only L-inf and L2 norms are implemented here.")

    # Scale perturbation to be the solution for the norm=eps rather than norm=1 problem
    scaled_perturbation = tf.multiply(eps, optimal_perturbation)
    return scaled_perturbation


# ---- cleverhans/tf2/attacks/fast_gradient_method.py (inlined) ----
def fast_gradient_method(model_fn, x, eps, norm, loss_fn=None, clip_min=None,
                         clip_max=None, y=None, targeted=False):
    if loss_fn is None:
        loss_fn = tf.nn.sparse_softmax_cross_entropy_with_logits

    if y is None:
        # Using model predictions as ground truth to avoid label leaking
        y = tf.argmax(model_fn(x), 1)

    grad = compute_gradient(model_fn, loss_fn, x, y, targeted)

    optimal_perturbation = optimize_linear(grad, eps, norm)
    # Add perturbation to original example to obtain adversarial example
    adv_x = x + optimal_perturbation

    if (clip_min is not None) or (clip_max is not None):
        adv_x = tf.clip_by_value(adv_x, clip_min, clip_max)
    return adv_x


# ---- cleverhans/tf2/attacks/projected_gradient_descent.py (inlined) ----
def projected_gradient_descent(model_fn, x, eps, eps_iter, nb_iter, norm, loss_fn=None,
                               clip_min=None, clip_max=None, y=None, targeted=False):
    assert eps_iter <= eps, (eps_iter, eps)
    if loss_fn is None:
        loss_fn = tf.nn.sparse_softmax_cross_entropy_with_logits

    eta = tf.zeros_like(x)
    # Clip eta
    eta = clip_eta(eta, norm, eps)
    adv_x = x + eta

    if y is None:
        # Using model predictions as ground truth to avoid label leaking
        y = tf.argmax(model_fn(x), 1)

    i = 0
    while i < nb_iter:
        adv_x = fast_gradient_method(model_fn, adv_x, eps_iter, norm, loss_fn, clip_min=clip_min,
                                     clip_max=clip_max, y=y, targeted=targeted)

        # Clipping perturbation eta to norm norm ball
        eta = adv_x - x
        eta = clip_eta(eta, norm, eps)
        adv_x = x + eta
        i += 1
    return adv_x


# ---- tutorials/tf2/mnist_tutorial.py ----
class Net(Model):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = Conv2D(8, 8, strides=(2, 2), activation="relu", padding="same")
        self.conv2 = Conv2D(16, 6, strides=(2, 2), activation="relu", padding="valid")
        self.conv3 = Conv2D(16, 5, strides=(1, 1), activation="relu", padding="valid")
        self.dropout = Dropout(0.25)
        self.flatten = Flatten()
        self.dense1 = Dense(32, activation="relu")
        self.dense2 = Dense(10)

    def call(self, x):
        x = self.conv1(x)
        x = self.conv2(x)
        x = self.conv3(x)
        x = self.dropout(x)
        x = self.flatten(x)
        x = self.dense1(x)
        return self.dense2(x)


class EasyDict(dict):
    __getattr__ = dict.__getitem__


def ld_mnist():
    """Random stand-in for the tfds MNIST loader."""

    def convert_types(image, label):
        image = tf.cast(image, tf.float32)
        image /= 255
        return image, label

    rng = np.random.default_rng(0)
    x_tr = rng.integers(0, 256, size=(96, 28, 28, 1)).astype("uint8")
    y_tr = rng.integers(0, 10, size=(96,)).astype("int64")
    x_te = rng.integers(0, 256, size=(32, 28, 28, 1)).astype("uint8")
    y_te = rng.integers(0, 10, size=(32,)).astype("int64")
    mnist_train = tf.data.Dataset.from_tensor_slices((x_tr, y_tr))
    mnist_test = tf.data.Dataset.from_tensor_slices((x_te, y_te))
    mnist_train = mnist_train.map(convert_types).shuffle(10000, seed=0).batch(32)
    mnist_test = mnist_test.map(convert_types).batch(32)
    return EasyDict(train=mnist_train, test=mnist_test)


def main(_):
    # Load training and test data
    data = ld_mnist()
    model = Net()
    loss_object = tf.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = tf.optimizers.Adam(learning_rate=0.001)

    # Metrics to track the different accuracies.
    train_loss = tf.metrics.Mean(name="train_loss")
    test_acc_clean = tf.metrics.SparseCategoricalAccuracy()
    test_acc_fgsm = tf.metrics.SparseCategoricalAccuracy()
    test_acc_pgd = tf.metrics.SparseCategoricalAccuracy()

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            predictions = model(x)
            loss = loss_object(y, predictions)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        train_loss(loss)

    model(tf.zeros((1, 28, 28, 1)))
    before = [v.numpy().copy() for v in model.trainable_variables]

    # Train model with adversarial training
    for epoch in range(FLAGS.nb_epochs):
        train_loss.reset_state()
        for (x, y) in data.train:
            if FLAGS.adv_train:
                # Replace clean example with adversarial example for adversarial training
                x = projected_gradient_descent(model, x, FLAGS.eps, 0.01, 3, np.inf)
            train_step(x, y)
        print("epoch %d loss %.4f" % (epoch + 1, float(train_loss.result())))

    changed = sum(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
    print("trainable variables changed: %d/%d" % (changed, len(before)))

    # Evaluate on clean and adversarial data
    for x, y in data.test:
        y_pred = model(x)
        test_acc_clean(y, y_pred)

        x_fgm = fast_gradient_method(model, x, FLAGS.eps, np.inf)
        y_pred_fgm = model(x_fgm)
        test_acc_fgsm(y, y_pred_fgm)

        x_pgd = projected_gradient_descent(model, x, FLAGS.eps, 0.01, 3, np.inf)
        y_pred_pgd = model(x_pgd)
        test_acc_pgd(y, y_pred_pgd)

    print("test acc on clean examples (%): {:.3f}".format(test_acc_clean.result() * 100))
    print("test acc on FGM adversarial examples (%): {:.3f}".format(test_acc_fgsm.result() * 100))
    print("test acc on PGD adversarial examples (%): {:.3f}".format(test_acc_pgd.result() * 100))
    print("final loss:", round(float(train_loss.result()), 4))


if __name__ == "__main__":
    flags.DEFINE_integer("nb_epochs", 2, "Number of epochs.")
    flags.DEFINE_float("eps", 0.3, "Total epsilon for FGM and PGD attacks.")
    flags.DEFINE_bool(
        "adv_train", True, "Use adversarial training (on PGD adversarial examples)."
    )
    app.run(main)
