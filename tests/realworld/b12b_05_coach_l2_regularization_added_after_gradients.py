"""Intel RL Coach (rl_coach/architectures/tensorflow_components/architecture.py): the network class
first builds the model and its head losses (`get_model`), then creates the gradient ops from the
total loss (`_create_gradient_ops`), and only after that computes the L2 regularization
`tf.add_n([tf.nn.l2_loss(v) for v in self.weights]) * l2_regularization` and registers it with the
regularization losses. The issue (#220, "l2 regularisation broken") points out that the L2 term is
added after the gradients were taken, so it never enters them; the fix (#230) moves it before
`_create_gradient_ops` and adds it to the total loss. Translated to TF2: `accumulate_gradients`
runs the heads inside a tape, takes the gradient, and then computes the L2 term outside the tape
and adds it to the reported total loss. The reported loss includes the penalty but the gradients
do not: training with `l2_regularization=0.5` gives exactly the same weights as with 0.
---
source: https://github.com/IntelLabs/coach/issues/220
framework: both
outcome: trains_silently
cause: outside_tape
line: [74, 75]
variables: [middleware_fc/kernel, q_head/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)


class NetworkParameters:
    def __init__(self, l2_regularization=0.0, learning_rate=0.01, clip_gradients=None):
        self.l2_regularization = l2_regularization
        self.learning_rate = learning_rate
        self.clip_gradients = clip_gradients


class QHeadLoss:
    """Coach's QHead: mean squared error between predicted and target Q-values."""
    def __call__(self, head_output, target):
        return tf.reduce_mean(tf.square(head_output - target))


class TensorFlowArchitecture:
    def __init__(self, network_parameters, obs_dim=4, num_actions=2):
        self.network_parameters = network_parameters
        self.losses = []
        self.regularization_losses = []
        # build the network
        self.get_model(obs_dim, num_actions)
        self.weights = [v for v in self.model.trainable_variables if 'kernel' in v.name]
        self.optimizer = tf.keras.optimizers.SGD(self.network_parameters.learning_rate)

    def get_model(self, obs_dim, num_actions):
        self.model = tf.keras.Sequential([
            tf.keras.Input(shape=(obs_dim,)),
            tf.keras.layers.Dense(32, activation='relu', name='middleware_fc'),
            tf.keras.layers.Dense(num_actions, name='q_head'),
        ])
        self.losses.append(QHeadLoss())

    def _create_gradient_ops(self, tape, total_loss):
        gradients = tape.gradient(total_loss, self.model.trainable_variables)
        if self.network_parameters.clip_gradients:
            gradients, _ = tf.clip_by_global_norm(gradients, self.network_parameters.clip_gradients)
        return gradients

    def accumulate_gradients(self, inputs, targets):
        with tf.GradientTape() as tape:
            model_outputs = [self.model(inputs, training=True)]
            head_losses = [loss(out, tgt) for loss, out, tgt in zip(self.losses, model_outputs, targets)]
            # Total loss is losses and regularization (NOTE: order is important)
            self.total_loss = tf.add_n(head_losses + self.regularization_losses)

        # gradients ops
        gradients = self._create_gradient_ops(tape, self.total_loss)

        # L2 regularization
        if self.network_parameters.l2_regularization != 0:
            self.l2_regularization = tf.add_n([tf.nn.l2_loss(v) for v in self.weights]) \
                                     * self.network_parameters.l2_regularization
            self.total_loss += self.l2_regularization
        return self.total_loss, gradients

    def train_on_batch(self, inputs, targets):
        total_loss, gradients = self.accumulate_gradients(inputs, targets)
        self.optimizer.apply_gradients(zip(gradients, self.model.trainable_variables))
        return float(total_loss)


def run(l2):
    tf.keras.utils.set_random_seed(0)
    net = TensorFlowArchitecture(NetworkParameters(l2_regularization=l2))
    rng = np.random.default_rng(0)
    for step in range(200):
        obs = rng.standard_normal((32, 4)).astype(np.float32)
        q_targets = np.stack([obs[:, 0] - obs[:, 1], obs[:, 2] + obs[:, 3]], axis=1).astype(np.float32)
        loss = net.train_on_batch(obs, [q_targets])
    kernel_norm = float(tf.add_n([tf.reduce_sum(tf.square(v)) for v in net.weights]))
    return loss, kernel_norm, [w.copy() for w in net.model.get_weights()]


loss1, norm1, w1 = run(0.5)  # the user's setting first; then the same run without L2
loss0, norm0, w0 = run(0.0)
print(f"l2=0.0 : reported loss {loss0:.4f}, sum of squared kernels {norm0:.4f}")
print(f"l2=0.5 : reported loss {loss1:.4f}, sum of squared kernels {norm1:.4f}")
print("weights identical with and without L2:", all(np.array_equal(a, b) for a, b in zip(w0, w1)))
