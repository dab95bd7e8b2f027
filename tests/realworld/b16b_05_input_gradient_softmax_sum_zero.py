"""A user computing input gradients of a Keras classifier (the first step of a
gradient-based adversarial perturbation / saliency map) wrapped the input image
in a `tf.Variable`, ran the model under a GradientTape and asked for
`tape.gradient(result, inp)` where `result` is the whole softmax output. The
gradient came back all zeros for some inputs and tiny (< 1e-7) for others, for
a trained MLP as well, while a linear model without activation gave sensible
values. The cause is the target of the gradient: when the target is a vector,
the tape differentiates the sum of its entries, and the softmax outputs always
sum to 1, so the derivative of that sum with respect to the input is zero up to
rounding error. The sign of such a gradient is noise, so the perturbation is
meaningless. The fix is to differentiate a scalar that depends on the input:
the loss against a target label (as in FGSM) or a single class score.
---
source: https://coderoad.ru/61771330/GradientTape-с-Keras-возвращает-0
framework: both
outcome: trains_silently
cause: zero_gradient
line: [48]
variables: [input]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras


def build_classifier():
    input_ = keras.Input(shape=(28, 28))
    flat = keras.layers.Flatten()(input_)
    hidden = keras.layers.Dense(64, activation="relu")(flat)
    output = keras.layers.Dense(10, activation="softmax")(hidden)
    model = keras.Model(input_, output)
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    return model


class AdversarialProbe:
    def __init__(self, model, epsilon=0.1):
        self.model = model
        self.epsilon = epsilon

    def input_gradient(self, inp):
        with tf.GradientTape(persistent=True) as g:
            g.watch(inp)
            result = self.model(inp, training=False)
        return g.gradient(result, inp)

    def perturb(self, image):
        inp = tf.Variable(image, dtype=tf.float32, name="input")
        grad = self.input_gradient(inp)
        return image + self.epsilon * tf.sign(grad), grad


def main():
    model = build_classifier()
    rng = np.random.default_rng(0)
    image = rng.random((1, 28, 28)).astype("float32")
    probe = AdversarialProbe(model)
    _, grad = probe.perturb(image)
    print("max |d output / d input|:", float(tf.reduce_max(tf.abs(grad))))
    print("all below 1e-6:", bool(tf.reduce_all(tf.abs(grad) < 1e-6)))


if __name__ == "__main__":
    main()
