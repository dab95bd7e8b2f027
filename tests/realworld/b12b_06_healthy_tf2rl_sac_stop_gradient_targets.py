"""Healthy: Soft Actor-Critic as written in tf2rl (tf2rl/algos/sac.py, with a small GaussianActor,
huber_loss and update_target_variables from tf2rl.misc). It looks suspicious in several ways that
are all fine: the TD targets are wrapped in `tf.stop_gradient` and use a separate target value
network that is only ever changed by `assign` (soft update), one persistent tape is used to
compute the gradients of two critics from two losses, and in the second tape the policy loss goes
through both Q-networks while only the actor's variables are updated from it (the critics' share
of that gradient is deliberately dropped). Every requested gradient exists and is finite; on a
toy 1-D control task (best action a = -s) the Q loss falls from ~14 to ~0.06 and the learned
deterministic policy scores a mean reward of about -0.02 against about -0.6 for random actions.
---
source: https://github.com/keiohta/tf2rl/blob/master/tf2rl/algos/sac.py
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense
tf.keras.utils.set_random_seed(0)


# tf2rl/misc/huber_loss.py
def huber_loss(x, delta=1.):
    delta = tf.ones_like(x) * delta
    less_than_max = 0.5 * tf.square(x)
    greater_than_max = delta * (tf.abs(x) - 0.5 * delta)
    return tf.where(tf.abs(x) <= delta, x=less_than_max, y=greater_than_max)


# tf2rl/misc/target_update_ops.py
def update_target_variables(target_variables, source_variables, tau=1.0):
    for (target_var, source_var) in zip(target_variables, source_variables):
        target_var.assign((1. - tau) * target_var + tau * source_var)


# tf2rl/policies/gaussian_actor.py (shrunk)
class GaussianActor(tf.keras.Model):
    LOG_STD_CAP_MAX, LOG_STD_CAP_MIN, EPS = 2, -20, 1e-6

    def __init__(self, state_shape, action_dim, max_action, units=(32, 32), name='gaussian_policy'):
        super().__init__(name=name)
        self.max_action = max_action
        self.l1 = Dense(units[0], name="L1", activation='relu')
        self.l2 = Dense(units[1], name="L2", activation='relu')
        self.out_mean = Dense(action_dim, name="L_mean")
        self.out_log_std = Dense(action_dim, name="L_logstd")
        self(tf.constant(np.zeros(shape=(1,) + state_shape, dtype=np.float32)))

    def call(self, states, test=False):
        features = self.l2(self.l1(states))
        mean = self.out_mean(features)
        log_std = tf.clip_by_value(self.out_log_std(features), self.LOG_STD_CAP_MIN, self.LOG_STD_CAP_MAX)
        std = tf.exp(log_std)
        raw_actions = mean if test else mean + std * tf.random.normal(tf.shape(mean))
        logp = tf.reduce_sum(-0.5 * (((raw_actions - mean) / (std + self.EPS)) ** 2 + 2 * log_std
                                     + np.log(2 * np.pi)), axis=1)
        actions = tf.tanh(raw_actions)
        logp -= tf.reduce_sum(tf.math.log(1 - actions ** 2 + self.EPS), axis=1)  # squash correction
        return actions * self.max_action, logp, {"mean": mean, "log_std": log_std}


class CriticV(tf.keras.Model):
    def __init__(self, state_shape, name='vf'):
        super().__init__(name=name)
        self.l1 = Dense(64, name="L1", activation='relu')
        self.l2 = Dense(64, name="L2", activation='relu')
        self.l3 = Dense(1, name="L3", activation='linear')
        self(tf.constant(np.zeros(shape=(1,) + state_shape, dtype=np.float32)))

    def call(self, states):
        return tf.squeeze(self.l3(self.l2(self.l1(states))), axis=1, name="values")


class CriticQ(tf.keras.Model):
    def __init__(self, state_shape, action_dim, name='qf'):
        super().__init__(name=name)
        self.l1 = Dense(64, name="L1", activation='relu')
        self.l2 = Dense(64, name="L2", activation='relu')
        self.l3 = Dense(1, name="L3", activation='linear')
        self([tf.zeros((1,) + state_shape), tf.zeros((1, action_dim))])

    def call(self, inputs):
        [states, actions] = inputs
        features = tf.concat([states, actions], axis=1)
        return tf.squeeze(self.l3(self.l2(self.l1(features))), axis=1)


class SAC:
    def __init__(self, state_shape, action_dim, max_action=1., lr=3e-3, tau=0.05,
                 scale_reward=5., discount=0.9, max_grad=10.):
        self.actor = GaussianActor(state_shape, action_dim, max_action)
        self.actor_optimizer = tf.keras.optimizers.Adam(learning_rate=lr)
        self.qf1 = CriticQ(state_shape, action_dim, name="qf1")
        self.qf2 = CriticQ(state_shape, action_dim, name="qf2")
        self.qf1_optimizer = tf.keras.optimizers.Adam(learning_rate=lr)
        self.qf2_optimizer = tf.keras.optimizers.Adam(learning_rate=lr)
        self.vf = CriticV(state_shape)
        self.vf_target = CriticV(state_shape, name="vf_target")
        update_target_variables(self.vf_target.weights, self.vf.weights, tau=1.)
        self.vf_optimizer = tf.keras.optimizers.Adam(learning_rate=lr)
        self.tau, self.scale_reward, self.discount, self.max_grad = tau, scale_reward, discount, max_grad

    @tf.function
    def _train_body(self, states, actions, next_states, rewards, done, weights):
        rewards = tf.squeeze(rewards, axis=1)
        not_done = 1. - tf.cast(done, dtype=tf.float32)

        # Update Critic according to Eq.(8)
        with tf.GradientTape(persistent=True) as tape:
            current_Q1 = self.qf1([states, actions])
            current_Q2 = self.qf2([states, actions])
            vf_next_target = self.vf_target(next_states)
            target_Q = tf.stop_gradient(
                self.scale_reward * rewards + not_done * self.discount * vf_next_target)
            td_loss1 = tf.reduce_mean(huber_loss(target_Q - current_Q1, delta=self.max_grad))
            td_loss2 = tf.reduce_mean(huber_loss(target_Q - current_Q2, delta=self.max_grad))
        q1_grad = tape.gradient(td_loss1, self.qf1.trainable_variables)
        self.qf1_optimizer.apply_gradients(zip(q1_grad, self.qf1.trainable_variables))
        q2_grad = tape.gradient(td_loss2, self.qf2.trainable_variables)
        self.qf2_optimizer.apply_gradients(zip(q2_grad, self.qf2.trainable_variables))
        del tape

        with tf.GradientTape(persistent=True) as tape:
            current_V = self.vf(states)
            sample_actions, logp, _ = self.actor(states)
            current_Q1 = self.qf1([states, sample_actions])
            current_Q2 = self.qf2([states, sample_actions])
            current_Q = tf.minimum(current_Q1, current_Q2)
            target_V = tf.stop_gradient(current_Q - logp)
            td_errors = target_V - current_V
            vf_loss_t = tf.reduce_mean(huber_loss(td_errors, delta=self.max_grad) * weights)  # Eq.(5)
            policy_loss = tf.reduce_mean(logp - current_Q1)  # Eq.(12)
        vf_grad = tape.gradient(vf_loss_t, self.vf.trainable_variables)
        self.vf_optimizer.apply_gradients(zip(vf_grad, self.vf.trainable_variables))
        update_target_variables(self.vf_target.weights, self.vf.weights, self.tau)
        actor_grad = tape.gradient(policy_loss, self.actor.trainable_variables)
        self.actor_optimizer.apply_gradients(zip(actor_grad, self.actor.trainable_variables))
        del tape
        all_grads = q1_grad + q2_grad + vf_grad + actor_grad
        ok = tf.reduce_all([tf.reduce_all(tf.math.is_finite(g)) for g in all_grads])
        return td_loss1, vf_loss_t, policy_loss, ok


# toy task: state s in [-1, 1], the best action is a = -s, reward = -(a + s)^2, 8-step episodes
def make_batch(agent, n=128):
    s = np.random.uniform(-1, 1, (n, 1)).astype(np.float32)
    a = agent.actor(tf.constant(s))[0].numpy() + 0.1 * np.random.randn(n, 1).astype(np.float32)
    a = np.clip(a, -1, 1)
    r = -((a + s) ** 2)
    s2 = np.clip(s + 0.5 * a, -1, 1).astype(np.float32)
    done = (np.random.rand(n) < 0.125).astype(np.float32)
    return s, a, s2, r.astype(np.float32), done, np.ones(n, np.float32)


agent = SAC(state_shape=(1,), action_dim=1)
hist = []
for step in range(300):
    q_loss, v_loss, p_loss, ok = agent._train_body(*[tf.constant(x) for x in make_batch(agent)])
    assert bool(ok), "non-finite or missing gradient"
    hist.append((float(q_loss), float(v_loss), float(p_loss)))
    if step % 75 == 0 or step == 299:
        print(f"step {step:3d}: Q loss {hist[-1][0]:.4f}  V loss {hist[-1][1]:.4f}  policy loss {hist[-1][2]:.4f}")
s_test = np.linspace(-1, 1, 5, dtype=np.float32)[:, None]
a_test = agent.actor(tf.constant(s_test), test=True)[0].numpy()
print("mean reward of deterministic policy:", float(np.mean(-(a_test + s_test) ** 2)),
      "(random policy ~", float(np.mean(-(np.random.uniform(-1, 1, (1000, 1)) + np.random.uniform(-1, 1, (1000, 1))) ** 2)), ")")
