"""Meta-learning a step size (a tiny learned optimizer) by differentiating through an inner
update done with `optimizer.apply_gradients`: an outer tape watches the meta-parameter
`log_lr`, the inner SGD optimizer takes its learning rate from `tf.exp(log_lr)`, the inner
update is applied to the learner with `inner_optimizer.apply_gradients(...)`, and the
query-set loss is computed with the updated learner. `apply_gradients` writes the new values
into the variables with assign ops, which have no gradient, so the query loss does not depend
on `log_lr` on the tape: `outer_tape.gradient(query_loss, log_lr)` is None and the meta
update fails. The fix is to compute the fast weights functionally (w - lr * g) and run the
learner with them instead of assigning them.
---
source: https://github.com/tensorflow/tensorflow/issues/55181
framework: both
outcome: error
cause: variable_assign
line: 54
variables: [log_lr]
xfail: {keras2: "tf-keras evaluates the learning-rate callable once, into the optimizer's own variable (the first cut, at line 34): that read of log_lr happens while TensorFlow initialises the variable and is not recorded, so the finding says wrong_sources"}
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

learner = keras.Sequential([
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(1),
], name="learner")
learner.build((None, 4))

log_lr = tf.Variable(np.log(0.01), dtype=tf.float32, name="log_lr")
inner_optimizer = keras.optimizers.SGD(learning_rate=lambda: tf.exp(log_lr))
meta_optimizer = keras.optimizers.Adam(1e-3)
loss_fn = keras.losses.MeanSquaredError()


def sample_task(rng):
    w = rng.normal(size=(4, 1)).astype("float32")
    x_s = rng.normal(size=(8, 4)).astype("float32")
    x_q = rng.normal(size=(8, 4)).astype("float32")
    return x_s, x_s @ w, x_q, x_q @ w


rng = np.random.default_rng(0)
for meta_step in range(2):
    x_support, y_support, x_query, y_query = sample_task(rng)
    with tf.GradientTape() as outer_tape:
        outer_tape.watch(log_lr)
        with tf.GradientTape() as inner_tape:
            support_loss = loss_fn(y_support, learner(x_support))
        grads = inner_tape.gradient(support_loss, learner.trainable_variables)
        inner_optimizer.apply_gradients(zip(grads, learner.trainable_variables))
        query_loss = loss_fn(y_query, learner(x_query))
    meta_grad = outer_tape.gradient(query_loss, log_lr)
    print(f"meta step {meta_step}: support {float(support_loss):.4f} "
          f"query {float(query_loss):.4f} d(query)/d(log_lr) = {meta_grad}")
    meta_optimizer.apply_gradients([(meta_grad, log_lr)])
