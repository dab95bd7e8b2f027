"""A user followed a Keras answer on training a policy network with a hand-written policy
gradient loss (`-sum(log(pi(a|s)) * scale)` over the chosen actions) instead of `compile`. With a
single softmax output `actions_probs` it trained; as soon as they added an extra output head to
the same Functional model (here a one-unit `state_value` head), the update step failed with
"An operation has `None` for gradient". The cause: the loss is still built only from
`actions_probs`, so the new head's kernel and bias take no part in it, yet the update asks for
gradients of all `self.nn.trainable_weights`; old Keras raised on the None entries, today's
optimizers warn "Gradients do not exist for variables" and skip them. The fix is to give the
new head a loss term (e.g. a value regression added to the policy loss) or to request gradients
only for the weights that feed the policy loss. The Keras 1/2 `K.placeholder` / `K.function`
update is rewritten with GradientTape, which TF 2.21 forces.
---
source: https://github.com/keras-team/keras/issues/4746
framework: both
outcome: warning
cause: unused_variable
static: false
line: [51, 44, 54, 60]
variables: [state_value]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import Adam

tf.keras.utils.set_random_seed(0)


class NN():
    def __init__(self, obs_size=4, n_actions=2, hidden_units=16):
        self.obs_size, self.n_actions, self.hidden_units = obs_size, n_actions, hidden_units
        self._build_nn()
        self._build_train()

    def _build_nn(self):
        # NN (Functional API)
        inputs = Input(shape=(self.obs_size,))
        x = Dense(units=self.hidden_units, activation='relu', use_bias=True, name='l2')(inputs)
        x = Dense(units=self.hidden_units, activation='relu', use_bias=True, name='l3')(x)
        actions_probs = Dense(units=self.n_actions, activation='softmax', use_bias=False, name='actions_probs')(x)
        state_value = Dense(units=1, activation='linear', name='state_value')(x)
        self.nn = Model(inputs=inputs, outputs=[actions_probs, state_value])

    def _build_train(self):
        self.optimizer = Adam(learning_rate=1e-2)

    def _loss(self, obs, actions_1hot, actions_scales):
        actions_probs, state_value = self.nn(obs)
        actions_probs = K.sum(actions_probs * actions_1hot, axis=1)  # probability of selected action, for all rows
        log_actions_probs = K.log(actions_probs)
        loss = -log_actions_probs * actions_scales
        return K.mean(loss)

    def train(self, obs, actions_1hot, actions_scales):
        with tf.GradientTape() as tape:
            loss = self._loss(obs, actions_1hot, actions_scales)
        grads = tape.gradient(loss, self.nn.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.nn.trainable_weights))
        return loss


agent = NN()
for episode in range(3):
    obs = np.random.randn(32, 4).astype('float32')
    actions = np.random.randint(0, 2, 32)
    actions_1hot = np.eye(2, dtype='float32')[actions]
    returns = np.random.randn(32).astype('float32')
    print(episode, float(agent.train(obs, actions_1hot, returns)))
