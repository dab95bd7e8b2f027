"""keras.io recipe "Endpoint layer pattern": a LogisticEndpoint layer receives the logits and
the targets (and per-sample weights) as model inputs, computes a weighted binary
cross-entropy with `self.add_loss()` and returns softmax predictions for inference. The
model is compiled without any `loss=` and trained on a dict of inputs with model.fit, in
the Functional form and in the subclassed-Model form. The loss reaches the Dense kernel
and bias through the added loss, so both train. (add_metric, gone from Keras 3, is
dropped; the weights are checked instead.)

---
source: https://github.com/keras-team/keras-io/blob/master/examples/keras_recipes/endpoint_layer_pattern.py
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
tf.keras.utils.set_random_seed(0)


class LogisticEndpoint(keras.layers.Layer):
    def __init__(self, name=None):
        super(LogisticEndpoint, self).__init__(name=name)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, logits, targets=None, sample_weight=None):
        if targets is not None:
            # Compute the training-time loss value and add it
            # to the layer using `self.add_loss()`.
            loss = self.loss_fn(targets, logits, sample_weight)
            self.add_loss(loss)

        # Return the inference-time prediction tensor (for `.predict()`).
        return tf.nn.softmax(logits)


inputs = keras.Input((16,), name="inputs")
logits = keras.layers.Dense(1)(inputs)
targets = keras.Input((1,), name="targets")
sample_weight = keras.Input((1,), name="sample_weight")
preds = LogisticEndpoint()(logits, targets, sample_weight)
model = keras.Model([inputs, targets, sample_weight], preds)

data = {
    "inputs": np.random.random((64, 16)).astype("float32"),
    "targets": (np.random.random((64, 1)) > 0.5).astype("float32"),
    "sample_weight": np.random.random((64, 1)).astype("float32"),
}

model.compile(keras.optimizers.Adam(1e-2))
before = [v.numpy().copy() for v in model.trainable_variables]
history = model.fit(data, epochs=3, batch_size=16, verbose=0)
assert all(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
print("functional loss", round(history.history["loss"][0], 4), "->", round(history.history["loss"][-1], 4))


class LogReg(keras.Model):
    def __init__(self):
        super(LogReg, self).__init__()
        self.dense = keras.layers.Dense(1)
        self.logistic_endpoint = LogisticEndpoint()

    def call(self, inputs):
        # Note that all inputs should be in the first argument
        # since we want to be able to call `model.fit(inputs)`.
        logits = self.dense(inputs["inputs"])
        preds = self.logistic_endpoint(
            logits=logits,
            targets=inputs["targets"],
            sample_weight=inputs["sample_weight"],
        )
        return preds


model = LogReg()
model.compile(keras.optimizers.Adam(1e-2))
history = model.fit(data, epochs=3, batch_size=16, verbose=0)
print("subclassed loss", round(history.history["loss"][0], 4), "->", round(history.history["loss"][-1], 4))
print("final loss", round(history.history["loss"][-1], 4))
