"""TF2 Soft Actor-Critic (shakti365/soft-actor-critic, src/sac.py). `Actor(Model)`
overrides the `trainable_variables` property to list its layers by hand, and
`SoftActorCritic.update_policy_network` differentiates the actor loss with respect to
`self.policy.trainable_variables`. The property lists `dense1_layer` twice and never
`dense2_layer` (the bug reported in the issue), although `call` runs every state through
`dense2_layer`. So the second hidden layer of the policy is used on every forward pass
but is never among the requested sources: it gets no gradient, no warning is printed,
and its weights stay at their initial values forever while the rest of the actor trains.
Fix: return `self.dense2_layer.trainable_variables` in the second term (or drop the
override and use Keras' own `trainable_variables`). tfp.distributions.Normal is replaced
by the same math written out (tensorflow_probability is not installed here).
---
source: https://github.com/shakti365/soft-actor-critic/issues/21
framework: both
outcome: trains_silently
cause: untracked_variable
line: 73
variables: [actor_dense2/kernel, actor_dense2/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.keras import layers
from tensorflow.keras import Model

tf.keras.backend.set_floatx('float64')

EPSILON = 1e-16
LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


class Actor(Model):

    def __init__(self, action_dim):
        super().__init__()
        self.action_dim = action_dim
        self.dense1_layer = layers.Dense(32, activation=tf.nn.relu, name="actor_dense1")
        self.dense2_layer = layers.Dense(32, activation=tf.nn.relu, name="actor_dense2")
        self.mean_layer = layers.Dense(self.action_dim, name="actor_mean")
        self.stdev_layer = layers.Dense(self.action_dim, name="actor_stdev")

    def call(self, state):
        # Get mean and standard deviation from the policy network
        a1 = self.dense1_layer(state)
        a2 = self.dense2_layer(a1)
        mu = self.mean_layer(a2)

        # Standard deviation is bounded by a constraint of being non-negative
        # therefore we produce log stdev as output which can be [-inf, inf]
        log_sigma = self.stdev_layer(a2)
        sigma = tf.exp(log_sigma)

        # Use re-parameterization trick to deterministically sample action from
        # the policy network (tfp.distributions.Normal(mu, sigma).sample())
        action_ = mu + sigma * tf.random.normal(tf.shape(mu), dtype=mu.dtype)

        # Apply the tanh squashing to keep the gaussian bounded in (-1,1)
        action = tf.tanh(action_)

        # Calculate the log probability (dist.log_prob(action_))
        log_pi_ = -0.5 * tf.square((action_ - mu) / sigma) - log_sigma - LOG_SQRT_2PI
        # Change log probability to account for tanh squashing as mentioned in
        # Appendix C of the paper
        log_pi = log_pi_ - tf.reduce_sum(tf.math.log(1 - action**2 + EPSILON), axis=1,
                                         keepdims=True)

        return action, log_pi

    @property
    def trainable_variables(self):
        return self.dense1_layer.trainable_variables + \
                self.dense1_layer.trainable_variables + \
                self.mean_layer.trainable_variables + \
                self.stdev_layer.trainable_variables


class Critic(Model):

    def __init__(self):
        super().__init__()
        self.dense1_layer = layers.Dense(32, activation=tf.nn.relu)
        self.dense2_layer = layers.Dense(32, activation=tf.nn.relu)
        self.output_layer = layers.Dense(1)

    def call(self, state, action):
        state_action = tf.concat([state, action], axis=1)
        a1 = self.dense1_layer(state_action)
        a2 = self.dense2_layer(a1)
        q = self.output_layer(a2)
        return q

    @property
    def trainable_variables(self):
        return self.dense1_layer.trainable_variables + \
                self.output_layer.trainable_variables + \
                self.dense2_layer.trainable_variables


class SoftActorCritic:

    def __init__(self, action_dim, learning_rate=0.0003, alpha=0.2, gamma=0.99,
                 polyak=0.995):
        self.policy = Actor(action_dim)
        self.q1 = Critic()
        self.q2 = Critic()
        self.target_q1 = Critic()
        self.target_q2 = Critic()

        self.alpha = tf.Variable(0.0, dtype=tf.float64)
        self.target_entropy = -tf.constant(action_dim, dtype=tf.float64)
        self.gamma = gamma
        self.polyak = polyak

        self.actor_optimizer = tf.keras.optimizers.Adam(learning_rate)
        self.critic1_optimizer = tf.keras.optimizers.Adam(learning_rate)
        self.critic2_optimizer = tf.keras.optimizers.Adam(learning_rate)
        self.alpha_optimizer = tf.keras.optimizers.Adam(learning_rate)

    def sample_action(self, current_state):
        current_state_ = np.array(current_state, ndmin=2)
        action, _ = self.policy(current_state_)
        return action[0]

    def update_q_network(self, current_states, actions, rewards, next_states, ends):
        with tf.GradientTape() as tape1:
            q1 = self.q1(current_states, actions)
            pi_a, log_pi_a = self.policy(next_states)
            q1_target = self.target_q1(next_states, pi_a)
            q2_target = self.target_q2(next_states, pi_a)
            min_q_target = tf.minimum(q1_target, q2_target)
            soft_q_target = min_q_target - self.alpha * log_pi_a
            y = tf.stop_gradient(rewards + self.gamma * ends * soft_q_target)
            critic1_loss = tf.reduce_mean((q1 - y)**2)

        with tf.GradientTape() as tape2:
            q2 = self.q2(current_states, actions)
            pi_a, log_pi_a = self.policy(next_states)
            q1_target = self.target_q1(next_states, pi_a)
            q2_target = self.target_q2(next_states, pi_a)
            min_q_target = tf.minimum(q1_target, q2_target)
            soft_q_target = min_q_target - self.alpha * log_pi_a
            y = tf.stop_gradient(rewards + self.gamma * ends * soft_q_target)
            critic2_loss = tf.reduce_mean((q2 - y)**2)

        grads1 = tape1.gradient(critic1_loss, self.q1.trainable_variables)
        self.critic1_optimizer.apply_gradients(zip(grads1, self.q1.trainable_variables))
        grads2 = tape2.gradient(critic2_loss, self.q2.trainable_variables)
        self.critic2_optimizer.apply_gradients(zip(grads2, self.q2.trainable_variables))
        return critic1_loss, critic2_loss

    def update_policy_network(self, current_states):
        with tf.GradientTape() as tape:
            pi_a, log_pi_a = self.policy(current_states)
            q1 = self.q1(current_states, pi_a)
            q2 = self.q2(current_states, pi_a)
            min_q = tf.minimum(q1, q2)
            soft_q = min_q - self.alpha * log_pi_a
            actor_loss = -tf.reduce_mean(soft_q)

        variables = self.policy.trainable_variables
        grads = tape.gradient(actor_loss, variables)
        self.actor_optimizer.apply_gradients(zip(grads, variables))
        return actor_loss

    def update_alpha(self, current_states):
        with tf.GradientTape() as tape:
            pi_a, log_pi_a = self.policy(current_states)
            alpha_loss = tf.reduce_mean(- self.alpha * (log_pi_a + self.target_entropy))
        variables = [self.alpha]
        grads = tape.gradient(alpha_loss, variables)
        self.alpha_optimizer.apply_gradients(zip(grads, variables))
        return alpha_loss

    def train(self, current_states, actions, rewards, next_states, ends):
        critic1_loss, critic2_loss = self.update_q_network(current_states, actions, rewards,
                                                           next_states, ends)
        actor_loss = self.update_policy_network(current_states)
        alpha_loss = self.update_alpha(current_states)
        return critic1_loss, critic2_loss, actor_loss, alpha_loss


if __name__ == "__main__":
    state_dim, action_dim, batch = 3, 1, 32
    sac = SoftActorCritic(action_dim)
    rng = np.random.RandomState(0)
    sac.sample_action(rng.rand(state_dim))           # build the actor
    for m in (sac.q1, sac.q2, sac.target_q1, sac.target_q2):
        m(np.zeros((1, state_dim)), np.zeros((1, action_dim)))
    before = {v.name: v.numpy().copy() for v in sac.policy.dense2_layer.weights}
    before_d1 = sac.policy.dense1_layer.kernel.numpy().copy()
    for step in range(20):                           # random replay-buffer batches
        s = rng.randn(batch, state_dim)
        a = rng.uniform(-1, 1, (batch, action_dim))
        r = rng.randn(batch, 1)
        s2 = rng.randn(batch, state_dim)
        d = (rng.rand(batch, 1) > 0.1).astype("float64")
        c1, c2, al, alp = sac.train(s, a, r, s2, d)
    print("actor loss", float(al))
    print("actor dense1 kernel change:", np.abs(sac.policy.dense1_layer.kernel.numpy() - before_d1).max())
    for v in sac.policy.dense2_layer.weights:
        print("actor dense2", v.name, "change:", np.abs(v.numpy() - before[v.name]).max())
