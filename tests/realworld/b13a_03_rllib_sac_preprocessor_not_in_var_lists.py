"""RLlib SAC/DDPG with a state-preprocessor (`use_state_preprocessor=True`, e.g. a
VisionNet or fcnet in front of the policy and Q heads). `SACTFModel.forward()` runs every
observation through the preprocessor, and the actor/critic losses are computed from its
output, but the gradient functions differentiate only `model.policy_variables()`
(`list(self.action_model.variables)`) and `model.q_variables()`
(`self.q_net.variables + self.twin_q_net.variables`). The preprocessor's weights are in
neither list, so they are used on every forward pass yet never requested: no gradient,
no warning, the preprocessor stays at its random initialisation while the heads train
(confirmed by the maintainers; fixed in ray PRs #10959/#13400 by adding the remaining
model variables to the policy variables). Fix: `policy_variables()` must also return the
preprocessor's variables (everything that is not a Q variable or log_alpha).
---
source: https://github.com/ray-project/ray/issues/10765
framework: both
outcome: trains_silently
cause: untracked_variable
line: 73
xfail: the preprocessor's variables are left out of hand-made lists of a plain class (no `trainable_variables` override to compare with Keras' tracking); telling that from a deliberate subset (a frozen backbone passed by omission) needs evidence gradtrace does not collect yet
variables: [fc_preprocessor_1/kernel, fc_preprocessor_1/bias, fc_preprocessor_2/kernel, fc_preprocessor_2/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)


class SACTFModel:
    """Shape of rllib/agents/sac/sac_tf_model.py (ray 0.8): a wrapping ModelV2 whose
    base model is the state preprocessor, plus separate policy / Q heads."""

    def __init__(self, obs_dim, action_dim, twin_q=True, initial_alpha=1.0):
        # state preprocessor (the wrapping ModelV2's own layers)
        inputs = tf.keras.layers.Input(shape=(obs_dim,), name="observations")
        h = tf.keras.layers.Dense(32, activation="relu", name="fc_preprocessor_1")(inputs)
        h = tf.keras.layers.Dense(32, activation="relu", name="fc_preprocessor_2")(h)
        self.base_model = tf.keras.Model(inputs, h, name="preprocessor")
        self.num_outputs = 32

        self.action_dim = action_dim
        self.action_model = tf.keras.Sequential([
            tf.keras.layers.Input(shape=(self.num_outputs,)),
            tf.keras.layers.Dense(64, activation="relu", name="action_hidden"),
            tf.keras.layers.Dense(2 * action_dim, name="action_out"),
        ], name="action_model")

        def build_q_net(name):
            model_out = tf.keras.layers.Input(shape=(self.num_outputs,))
            actions = tf.keras.layers.Input(shape=(action_dim,))
            x = tf.keras.layers.Concatenate(axis=1)([model_out, actions])
            x = tf.keras.layers.Dense(64, activation="relu", name=name + "_hidden")(x)
            q = tf.keras.layers.Dense(1, name=name + "_out")(x)
            return tf.keras.Model([model_out, actions], q, name=name)

        self.q_net = build_q_net("q")
        self.twin_q_net = build_q_net("twin_q") if twin_q else None
        self.log_alpha = tf.Variable(np.log(initial_alpha), dtype=tf.float32, name="log_alpha")
        self.alpha = tf.exp(self.log_alpha)

    def forward(self, input_dict):
        return self.base_model(input_dict["obs"])

    def get_q_values(self, model_out, actions):
        return self.q_net([model_out, actions])

    def get_twin_q_values(self, model_out, actions):
        return self.twin_q_net([model_out, actions])

    def get_policy_output(self, model_out):
        return self.action_model(model_out)

    def policy_variables(self):
        """Return the list of variables for the policy net."""
        return list(self.action_model.variables)

    def q_variables(self):
        """Return the list of variables for Q / twin Q nets."""
        return self.q_net.variables + (self.twin_q_net.variables
                                       if self.twin_q_net else [])


def squashed_gaussian_sample(dist_inputs):
    mean, log_std = tf.split(dist_inputs, 2, axis=-1)
    log_std = tf.clip_by_value(log_std, -20.0, 2.0)
    std = tf.exp(log_std)
    raw = mean + std * tf.random.normal(tf.shape(mean))
    logp = tf.reduce_sum(-0.5 * tf.square((raw - mean) / std) - log_std
                         - 0.5 * np.log(2 * np.pi), axis=-1)
    action = tf.tanh(raw)
    logp -= tf.reduce_sum(tf.math.log(1 - action ** 2 + 1e-6), axis=-1)
    return action, logp


def sac_actor_critic_loss(model, target_model, train_batch, gamma=0.99):
    model_out_t = model.forward({"obs": train_batch["obs"]})
    model_out_tp1 = model.forward({"obs": train_batch["new_obs"]})
    target_model_out_tp1 = target_model.forward({"obs": train_batch["new_obs"]})

    policy_t, log_pis_t = squashed_gaussian_sample(model.get_policy_output(model_out_t))
    policy_tp1, log_pis_tp1 = squashed_gaussian_sample(model.get_policy_output(model_out_tp1))

    q_t = model.get_q_values(model_out_t, train_batch["actions"])
    twin_q_t = model.get_twin_q_values(model_out_t, train_batch["actions"])
    q_t_det_policy = tf.minimum(model.get_q_values(model_out_t, policy_t),
                                model.get_twin_q_values(model_out_t, policy_t))

    q_tp1 = tf.minimum(target_model.get_q_values(target_model_out_tp1, policy_tp1),
                       target_model.get_twin_q_values(target_model_out_tp1, policy_tp1))
    q_tp1 -= model.alpha * log_pis_tp1[:, None]
    q_t_selected_target = tf.stop_gradient(
        train_batch["rewards"][:, None] + gamma * (1.0 - train_batch["dones"][:, None]) * q_tp1)

    critic_loss = [0.5 * tf.reduce_mean(tf.square(q_t - q_t_selected_target)),
                   0.5 * tf.reduce_mean(tf.square(twin_q_t - q_t_selected_target))]
    actor_loss = tf.reduce_mean(model.alpha * log_pis_t[:, None] - q_t_det_policy)
    return actor_loss, critic_loss


if __name__ == "__main__":
    obs_dim, act_dim, batch = 6, 2, 64
    model = SACTFModel(obs_dim, act_dim)
    target_model = SACTFModel(obs_dim, act_dim)
    actor_optimizer = tf.keras.optimizers.Adam(3e-4)
    critic_optimizer = tf.keras.optimizers.Adam(3e-4)
    rng = np.random.RandomState(0)

    pre_before = [v.numpy().copy() for v in model.base_model.trainable_variables]
    head_before = model.action_model.trainable_variables[0].numpy().copy()
    for it in range(15):
        train_batch = {
            "obs": rng.randn(batch, obs_dim).astype("float32"),
            "new_obs": rng.randn(batch, obs_dim).astype("float32"),
            "actions": rng.uniform(-1, 1, (batch, act_dim)).astype("float32"),
            "rewards": rng.randn(batch).astype("float32"),
            "dones": (rng.rand(batch) < 0.05).astype("float32"),
        }
        train_batch = {k: tf.constant(v) for k, v in train_batch.items()}
        with tf.GradientTape(persistent=True) as tape:
            actor_loss, critic_loss = sac_actor_critic_loss(model, target_model, train_batch)
            total_critic_loss = critic_loss[0] + critic_loss[1]
        actor_vars = model.policy_variables()
        critic_vars = model.q_variables()
        actor_grads = tape.gradient(actor_loss, actor_vars)
        critic_grads = tape.gradient(total_critic_loss, critic_vars)
        del tape
        actor_optimizer.apply_gradients(zip(actor_grads, actor_vars))
        critic_optimizer.apply_gradients(zip(critic_grads, critic_vars))

    print("actor_loss", float(actor_loss), "critic_loss", float(critic_loss[0]))
    print("policy head change:", np.abs(model.action_model.trainable_variables[0].numpy() - head_before).max())
    for v, b in zip(model.base_model.trainable_variables, pre_before):
        print("preprocessor", getattr(v, "path", v.name), "change:", np.abs(v.numpy() - b).max())
