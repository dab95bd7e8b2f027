"""A `tf.keras.Model` learns the means and (positive) scales of five groups: `self.loc` is a
plain `tf.Variable` attribute and the scale is a softplus-transformed variable (the report
used `tfp.util.TransformedVariable`, here written as a raw `tf.Variable` `scale_raw` passed
through softplus, since tensorflow_probability is not installed). The model is trained with a
GradientTape over `model.trainable_variables`. The report: the model "does not recognize the
object as a trainable variable", `model.trainable_weights` shows only `loc` and only `loc`
updates. Under Keras 3 it is worse: a Keras 3 Model tracks no raw `tf.Variable`, so
`model.trainable_variables` is empty, the tape is asked for no gradient at all and the
optimizer, handed an empty list, fails with "ValueError: not enough values to unpack
(expected 2, got 0)" (tf-keras tracks both variables and trains them). Fix: create them
with `self.add_weight(...)` (and apply the softplus in `call`).

---
source: https://github.com/tensorflow/probability/issues/946
framework: keras3
outcome: error
cause: untracked_variable
line: [31, 32]
variables: [loc, scale_raw]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
np.random.seed(0)
tf.random.set_seed(0)


class Model(tf.keras.Model):
    def __init__(self):
        super(Model, self).__init__()
        self.loc = tf.Variable(tf.ones(shape=[5]), name="loc")
        self.scale_raw = tf.Variable(tf.zeros(shape=[5]), name="scale_raw")

    def call(self, inputs):
        scale = tf.nn.softplus(self.scale_raw) + 1e-3
        samples = self.loc + scale * tf.random.normal([5])
        assigned_means = tf.gather(samples, inputs)
        return assigned_means


def nll(y, mean):
    return tf.reduce_mean(0.5 * tf.square(y - mean))


model = Model()
groups = np.random.randint(0, 5, size=256)
true_means = np.array([-3., -1., 0., 2., 5.], dtype='float32')
y = true_means[groups] + np.random.randn(256).astype('float32')
model(groups)
print('trainable weights:', [v.name for v in model.trainable_weights])

optimizer = tf.keras.optimizers.Adam(0.1)
for step in range(50):
    with tf.GradientTape() as tape:
        loss = nll(y, model(groups))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
print('final loss:', round(float(loss), 4))
print('loc:', np.round(model.loc.numpy(), 3))
