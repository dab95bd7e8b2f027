"""BayesFlow-style amortized posterior estimation in Keras 3: an `Approximator` model with
its own `train_step` (GradientTape around `compute_metrics`) trains a DeepSet summary
network and a Gaussian inference head on simulated data sets. The summary network also
regularizes itself through `self.add_loss(...)`: a split-half consistency loss computed
by an auxiliary projection head. The approximator's `compute_metrics` returns only the
inference loss and never adds `self.losses`, so the add_loss term is silently dropped;
the auxiliary head takes part in no loss at all and Keras warns "Gradients do not exist
for variables ['.../aux_head/kernel', '.../aux_head/bias']" while the rest trains. The fix
is to add `sum(self.losses)` to the returned loss (BayesFlow #541, fixed later).
The report describes the gap without user code; the summary network is illustrative.
---
source: https://github.com/bayesflow-org/bayesflow/issues/541
framework: keras3
outcome: warning
cause: unused_variable
static: false
line: 67
variables: [aux_head/kernel, aux_head/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras
from keras import layers, ops
import tensorflow as tf


class DeepSetSummary(keras.layers.Layer):
    def __init__(self, summary_dim=4, aux_weight=0.1, **kwargs):
        super().__init__(**kwargs)
        self.phi = layers.Dense(16, activation="gelu", name="phi")
        self.rho = layers.Dense(summary_dim, name="rho")
        self.aux_head = layers.Dense(summary_dim, name="aux_head")
        self.aux_weight = aux_weight

    def call(self, x, training=False):
        h = self.phi(x)
        summary = self.rho(ops.mean(h, axis=1))
        if training:
            z1 = self.aux_head(ops.mean(h[:, ::2], axis=1))
            z2 = self.aux_head(ops.mean(h[:, 1::2], axis=1))
            self.add_loss(self.aux_weight * ops.mean(ops.square(z1 - z2)))
        return summary


class Approximator(keras.Model):
    def __init__(self, num_params=2, **kwargs):
        super().__init__(**kwargs)
        self.summary_network = DeepSetSummary()
        self.inference_network = keras.Sequential(
            [layers.Dense(32, activation="gelu"), layers.Dense(2 * num_params)],
            name="inference_network")
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, observables, training=False):
        summaries = self.summary_network(observables, training=training)
        return self.inference_network(summaries, training=training)

    def compute_metrics(self, observables, parameters, stage="training"):
        out = self(observables, training=stage == "training")
        mu, log_sigma = ops.split(out, 2, axis=-1)
        nll = 0.5 * ops.square((parameters - mu) / ops.exp(log_sigma)) + log_sigma
        return {"loss": ops.mean(ops.sum(nll, axis=-1))}

    def train_step(self, data):
        with tf.GradientTape() as tape:
            metrics = self.compute_metrics(**data, stage="training")
        loss = metrics["loss"]
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
theta = rng.normal(size=(64, 2)).astype("float32")
obs = (theta[:, None, :] + rng.normal(size=(64, 10, 2))).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices(
    {"observables": obs, "parameters": theta}).batch(32)
approximator = Approximator()
approximator.compile(optimizer=keras.optimizers.Adam(1e-3))
history = approximator.fit(dataset, epochs=2, shuffle=False, verbose=0)
print("losses:", [round(v, 4) for v in history.history["loss"]])
