"""A hand-written batch-normalisation layer: `batchNormalization(shape,
Trainable)` creates `beta`/`gamma` (trainable) and the moving mean/variance
(trainable=False) as raw `tf.Variable`s in `__init__`, normalises with
`tf.nn.moments` in training and updates the moving statistics with `assign`.
The user embedded it in a tf.keras.Model and found that `Model.variables` had
2 entries instead of 4 (the non-trainable statistics were missing). Running
the same layer under Keras 3 shows the stronger form of the problem: Keras 3
layers do not track raw `tf.Variable` attributes at all, so none of the four
variables belong to the model -- `beta` and `gamma` are missing from
`model.trainable_variables`, `fit` never updates them, and no warning is
printed (the Dense layers around them train normally). Under tf-keras the
variables are tracked and beta/gamma train. Fix: create them with
`self.add_weight(..., trainable=...)` in `build()`/`__init__`.
---
source: https://github.com/tensorflow/tensorflow/issues/46325
framework: keras3
outcome: trains_silently
cause: untracked_variable
line: [33, 34]
variables: [bn_beta, bn_gamma]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)


class batchNormalization(tf.keras.layers.Layer):
    def __init__(self, shape, Trainable, **kwargs):
        super(batchNormalization, self).__init__(**kwargs)
        self.shape = shape
        self.Trainable = Trainable
        self.beta = tf.Variable(initial_value=tf.zeros(shape), trainable=Trainable, name="bn_beta")
        self.gamma = tf.Variable(initial_value=tf.ones(shape), trainable=Trainable, name="bn_gamma")
        self.moving_mean = tf.Variable(initial_value=tf.zeros(shape), trainable=False, name="bn_moving_mean")
        self.moving_var = tf.Variable(initial_value=tf.ones(shape), trainable=False, name="bn_moving_var")

    def call(self, inputs, training=None):
        if training:
            mean, var = tf.nn.moments(inputs, axes=[0])
            self.moving_mean.assign(0.9 * self.moving_mean + 0.1 * mean)
            self.moving_var.assign(0.9 * self.moving_var + 0.1 * var)
        else:
            mean, var = self.moving_mean, self.moving_var
        return tf.nn.batch_normalization(inputs, mean, var, self.beta, self.gamma, 1e-3)


class Model(tf.keras.Model):
    def __init__(self):
        super(Model, self).__init__()
        self.d1 = tf.keras.layers.Dense(8, name="dense_in")
        self.bn = batchNormalization(shape=(8,), Trainable=True)
        self.d2 = tf.keras.layers.Dense(1, name="dense_out")

    def call(self, x, training=None):
        return self.d2(tf.nn.relu(self.bn(self.d1(x), training=training)))


model = Model()
x = np.random.randn(64, 4).astype("float32")
y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32") + 2.0)
model(x[:2])
print("len(model.variables):", len(model.variables))
print("trainable:", [v.name for v in model.trainable_variables])
model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="mse")
hist = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
print("losses:", [round(v, 3) for v in hist.history["loss"]])
print("beta after fit:", model.bn.beta.numpy()[:4], "gamma:", model.bn.gamma.numpy()[:4])
