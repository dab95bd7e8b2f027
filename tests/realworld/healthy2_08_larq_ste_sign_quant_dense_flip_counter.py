"""Binarized MLP in the style of Larq, adapted from larq/quantizers.py (`ste_sign`, `_clipped_gradient`, `math.sign`), larq/metrics.py (`FlipRatio`) and larq/constraints.py (`WeightClip`): a custom `QuantDense` layer creates its kernel with `add_weight` (with a weight-clip constraint) and binarizes both its inputs and its kernel with `ste_sign`, a `@tf.custom_gradient` whose forward pass is `tf.sign` (gradient zero everywhere) and whose backward pass is the straight-through estimator `dy` masked to |x| <= 1. Each layer also owns non-trainable bookkeeping variables made with `add_weight(trainable=False)`: the int8 sign pattern of the last kernel, a float total and an int64 step counter, updated with `assign`/`assign_add` in `call` to track the kernel flip ratio; they sit beside the loss path, not on it, and are not trained. Quantized layers are followed by BatchNormalization and have `use_bias=False`, as in Larq's examples; random data, `model.fit` for two epochs.
---
source: https://github.com/larq/larq/blob/main/larq/quantizers.py
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


# larq/math.py
def sign(x):
    """A sign function that will never be zero"""
    return tf.sign(tf.sign(x) + 0.1)


# larq/quantizers.py
def _clipped_gradient(x, dy, clip_value):
    """Calculate `clipped_gradent * dy`."""

    if clip_value is None:
        return dy

    zeros = tf.zeros_like(dy)
    mask = tf.math.less_equal(tf.math.abs(x), clip_value)
    return tf.where(mask, dy, zeros)


def ste_sign(x: tf.Tensor, clip_value: float = 1.0) -> tf.Tensor:
    @tf.custom_gradient
    def _call(x):
        def grad(dy):
            return _clipped_gradient(x, dy, clip_value)

        return sign(x), grad

    return _call(x)


# larq/constraints.py
class WeightClip(tf.keras.constraints.Constraint):
    """Weight Clip constraint: constrains the weights to [-clip_value, clip_value]."""

    def __init__(self, clip_value=1):
        self.clip_value = clip_value

    def __call__(self, x):
        return tf.clip_by_value(x, -self.clip_value, self.clip_value)

    def get_config(self):
        return {"clip_value": self.clip_value}


class QuantDense(tf.keras.layers.Layer):
    """Dense layer with binarized inputs and kernel (larq.layers.QuantDense, reduced)."""

    def __init__(self, units, input_quantizer=None, kernel_quantizer=None,
                 kernel_constraint=None, use_bias=False, metrics=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.input_quantizer = input_quantizer
        self.kernel_quantizer = kernel_quantizer
        self.kernel_constraint = kernel_constraint
        self.use_bias = use_bias
        self._custom_metrics = metrics or []

    def build(self, input_shape):
        input_dim = int(input_shape[-1])
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, self.units),
            initializer="glorot_uniform",
            constraint=self.kernel_constraint,
            trainable=True,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.units,), initializer="zeros", trainable=True
            )
        if "flip_ratio" in self._custom_metrics:
            # larq.metrics.FlipRatio state, kept on the layer
            self._previous_values = self.add_weight(
                name="previous_values",
                shape=(input_dim, self.units),
                dtype="int8",
                initializer="zeros",
                trainable=False,
            )
            self.flip_total = self.add_weight(
                name="flip_total", shape=(), initializer="zeros", trainable=False
            )
            self.flip_count = self.add_weight(
                name="flip_count", shape=(), dtype="int64", initializer="zeros",
                trainable=False,
            )
        super().build(input_shape)

    def _update_flip_ratio(self, values):
        values = tf.cast(values, tf.int8)
        unchanged_values = tf.math.count_nonzero(tf.equal(self._previous_values, values))
        size = tf.cast(tf.size(values), tf.float32)
        flip_ratio = 1 - tf.cast(unchanged_values, tf.float32) / size
        self.flip_total.assign_add(flip_ratio * tf.sign(tf.cast(self.flip_count, tf.float32)))
        self.flip_count.assign_add(1)
        self._previous_values.assign(values)

    def flip_ratio(self):
        return float(self.flip_total.numpy()) / max(int(self.flip_count.numpy()) - 1, 1)

    def call(self, inputs, training=None):
        if self.input_quantizer is not None:
            inputs = self.input_quantizer(inputs)
        kernel = self.kernel
        if self.kernel_quantizer is not None:
            kernel = self.kernel_quantizer(kernel)
        if training and "flip_ratio" in self._custom_metrics:
            self._update_flip_ratio(kernel)
        outputs = tf.matmul(inputs, kernel)
        if self.use_bias:
            outputs = outputs + self.bias
        return outputs


# All quantized layers except the first use the same options
kwargs = dict(input_quantizer=ste_sign,
              kernel_quantizer=ste_sign,
              kernel_constraint=WeightClip(1.0),
              metrics=["flip_ratio"])

model = tf.keras.models.Sequential([
    tf.keras.Input(shape=(16,)),
    # In the first layer we only quantize the weights and not the input
    QuantDense(32, kernel_quantizer=ste_sign, kernel_constraint=WeightClip(1.0),
               metrics=["flip_ratio"], name="quant_dense"),
    tf.keras.layers.BatchNormalization(scale=False),
    QuantDense(32, name="quant_dense_1", **kwargs),
    tf.keras.layers.BatchNormalization(scale=False),
    QuantDense(4, name="quant_dense_2", **kwargs),
    tf.keras.layers.BatchNormalization(scale=False),
    tf.keras.layers.Activation("softmax"),
])

rng = np.random.default_rng(0)
train_images = rng.normal(size=(64, 16)).astype("float32")
train_labels = rng.integers(0, 4, size=(64,))

model.compile(optimizer=tf.keras.optimizers.Adam(0.01),
              loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])

before = [v.numpy().copy() for v in model.trainable_variables]
history = model.fit(train_images, train_labels, batch_size=16, epochs=2, verbose=0)

changed = sum(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
for layer in model.layers:
    if isinstance(layer, QuantDense):
        print("%s: steps counted %d, flip ratio %.3f" % (
            layer.name, int(layer.flip_count.numpy()), layer.flip_ratio()))
print("loss:", history.history["loss"])
print("trainable variables changed: %d/%d" % (changed, len(before)))
assert np.all(np.isfinite(history.history["loss"]))
assert changed == len(before)
