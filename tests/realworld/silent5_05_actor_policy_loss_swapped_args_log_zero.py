"""A naive actor-critic: the actor outputs two action probabilities, and its loss is meant to
be -log(policy) . baseline, where the baseline row is zero except at the action taken. The
custom loss is written as `def policyLoss(self, y_pred, y_true)`, but Keras calls a loss as
`loss(y_true, y_pred)`: inside the function `y_pred` is the baseline and `y_true` the
network's output, so the log is taken of the baseline. Its zero entries give log(0) = -inf,
the loss is inf/NaN from the first `train_on_batch` ("the loss is always NaN"), the gradient
sent into the output, -log(baseline), contains inf, and after the first update every weight
of the actor is NaN. Fix: `def policyLoss(self, y_true, y_pred)` (and clip the probabilities,
`log(clip(y_pred, 1e-7, 1))`).
---
source: https://github.com/keras-team/keras/issues/5733
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 33
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.models import Model

np.random.seed(0)
tf.random.set_seed(0)

state_dim = 4
batch_shape = (1, state_dim)


class Agent:
    def policyLoss(self, y_pred, y_true):
        loss = tf.matmul(tf.math.log(y_pred), tf.transpose(y_true))
        return -loss

    def build_actor(self):
        state = Input(shape=(state_dim,))
        h = Dense(16, activation="relu")(state)
        policy = Dense(2, activation="softmax")(h)
        actor = Model(state, policy)
        actor.compile(optimizer="adam", loss=self.policyLoss)
        return actor


agent = Agent()
actor = agent.build_actor()
print([getattr(v, "path", v.name) for v in actor.trainable_variables])

for step in range(3):
    state = np.random.randn(*batch_shape).astype("float32")
    action = np.random.randint(2)
    baseline = np.zeros((1, 2), "float32")
    baseline[0, action] = 1.17142606
    ActorLoss = actor.train_on_batch(state.reshape(batch_shape), baseline)
    print("step", step, "actor loss:", ActorLoss)
print("nan in actor weights:", [bool(np.isnan(w).any()) for w in actor.get_weights()])
