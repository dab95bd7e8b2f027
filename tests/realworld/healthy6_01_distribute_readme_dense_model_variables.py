"""The distribution-strategy guide's custom training loop: a single
`keras.layers.Dense(1)` built under a strategy scope, a `tf.function`
train step whose inner `step_fn` records the forward pass on a GradientTape
and returns `tape.gradient(loss, model.variables)`, run with
`strategy.run`. Asking for `model.variables` instead of
`model.trainable_variables` is harmless here: a Dense layer has no
non-trainable variables, so both lists hold the same kernel and bias and
every gradient is defined. Runs on the default strategy on one CPU and
applies the gradients with SGD.
---
source: https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/distribute/README.md
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)
strategy = tf.distribute.get_strategy()

with strategy.scope():
    model = keras.layers.Dense(1, name="dense")
    optimizer = keras.optimizers.SGD(0.01)


@tf.function
def train_step(iterator):
    def step_fn(inputs):
        images, targets = inputs
        with tf.GradientTape() as tape:
            outputs = model(images)
            loss = tf.reduce_sum(outputs - targets)
        grads = tape.gradient(loss, model.variables)
        optimizer.apply_gradients(zip(grads, model.variables))
        return loss

    return strategy.run(step_fn, args=(next(iterator),))


dataset = tf.data.Dataset.from_tensors(([1.], [1.])).repeat(100).batch(10)
input_iterator = iter(strategy.experimental_distribute_dataset(dataset))
for step in range(3):
    print("step", step, "loss", float(train_step(input_iterator)))
