"""Meta-learning a step size: inside the tape the learner's weights are scaled by a watched
scalar l (new_weights = [w * l ...]) and written back with learner.set_weights(new_weights),
then the batch is run through the learner; set_weights copies the values into the variables
(an assignment), so the loss no longer depends on l and tape.gradient(loss, l) is None.

---
source: https://github.com/tensorflow/tensorflow/issues/53541
framework: both
outcome: gradient_none
cause: variable_assign
line: 34
also: [numpy_conversion]
static: false
variables: [l]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

learner = tf.keras.Sequential([
    tf.keras.Input((8,)),
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(3, activation="softmax"),
])
batch = {"train": {"X": np.random.rand(32, 8).astype("float32"),
                   "y": tf.one_hot(np.random.randint(0, 3, 32), 3)}}

l = tf.constant(0.1)
with tf.GradientTape() as gt:
    gt.watch(l)
    new_weights = [w * l for w in learner.weights]

    learner.set_weights(new_weights)

    y_pred = learner(batch["train"]["X"])
    loss = tf.reduce_mean(tf.keras.losses.categorical_crossentropy(batch["train"]["y"], y_pred))
grads = gt.gradient(loss, l)
print("grads:", grads)  # returns None
assert grads is None
