"""Ray RLlib's early PolicyGradient (PPO) algorithm (python/ray/rllib/policy_gradient/policy_gradient.py):
`PolicyGradient.train()` collects rollouts, standardizes the advantages with
`(adv - adv.mean()) / adv.std()`, shuffles the trajectory and runs SGD minibatches of the clipped
surrogate + KL-penalty loss on the agent's policy network. The issue: the implementation "gives
NaNs when rewards are all 0" -- with a sparse reward, a batch in which no episode is rewarded has
all-zero advantages, `std()` is 0, the standardization yields 0/0 = NaN advantages, the loss and
every gradient become NaN and the optimizer writes NaN into all policy weights. Earlier batches
(with some reward) train normally. Fix (ray #849): divide by `std() + eps` (or skip the update).
Here the Ray actors, TF1 session and multi-GPU loader are replaced by a local agent and a
`tf.GradientTape` minibatch step; the function and loop structure is kept.
---
source: https://github.com/ray-project/ray/issues/846
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: [138, 139]
variables: [policy_hidden/kernel, policy_hidden/bias, policy_logits/kernel, policy_logits/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

DEFAULT_CONFIG = {
    "gamma": 0.995,
    "horizon": 2000,
    "kl_coeff": 0.2,
    "num_sgd_iter": 3,
    "max_iterations": 8,
    "sgd_stepsize": 5e-3,
    "sgd_batchsize": 32,
    "entropy_coeff": 0.0,
    "clip_param": 0.3,
    "kl_target": 0.01,
    "timesteps_per_batch": 40,
}


class SparseChainEnv:
    """Reward 1 only if the agent presses action 1 on all 5 steps of an episode."""
    def __init__(self, length=5):
        self.length = length

    def reset(self):
        self.t, self.ok = 0, True
        return np.eye(self.length + 1, dtype=np.float32)[0]

    def step(self, action):
        self.ok = self.ok and action == 1
        self.t += 1
        done = self.t == self.length
        reward = float(done and self.ok)
        return np.eye(self.length + 1, dtype=np.float32)[self.t], reward, done


class Agent:
    def __init__(self, env, config):
        self.env = env
        self.config = config
        self.policy = tf.keras.Sequential([
            tf.keras.Input(shape=(env.length + 1,)),
            tf.keras.layers.Dense(16, activation="tanh", name="policy_hidden"),
            tf.keras.layers.Dense(2, name="policy_logits"),
        ])
        self.optimizer = tf.keras.optimizers.Adam(config["sgd_stepsize"])
        self.per_device_batch_size = config["sgd_batchsize"]

    def compute_action(self, observation):
        logits = self.policy(observation[None])[0].numpy()
        probs = np.exp(logits - logits.max()); probs /= probs.sum()
        action = np.random.choice(2, p=probs)
        return action, logits

    def load_data(self, trajectory):
        self.data = trajectory
        return len(trajectory["observations"])

    def run_sgd_minibatch(self, batch_index, kl_coeff):
        sl = slice(batch_index, batch_index + self.per_device_batch_size)
        obs = tf.constant(self.data["observations"][sl])
        actions = tf.constant(self.data["actions"][sl])
        advantages = tf.constant(self.data["advantages"][sl], tf.float32)
        prev_logits = tf.constant(self.data["logprobs"][sl])
        with tf.GradientTape() as tape:
            curr_logits = self.policy(obs, training=True)
            curr_logp = tf.nn.log_softmax(curr_logits)
            prev_logp = tf.nn.log_softmax(prev_logits)
            a = tf.one_hot(actions, 2)
            ratio = tf.exp(tf.reduce_sum(a * (curr_logp - prev_logp), axis=1))
            kl = tf.reduce_mean(tf.reduce_sum(tf.exp(prev_logp) * (prev_logp - curr_logp), axis=1))
            entropy = tf.reduce_mean(-tf.reduce_sum(tf.exp(curr_logp) * curr_logp, axis=1))
            surr1 = ratio * advantages
            surr2 = tf.clip_by_value(ratio, 1 - self.config["clip_param"], 1 + self.config["clip_param"]) * advantages
            surr = tf.minimum(surr1, surr2)
            loss = tf.reduce_mean(-surr + kl_coeff * kl - self.config["entropy_coeff"] * entropy)
        grads = tape.gradient(loss, self.policy.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.policy.trainable_variables))
        self.last_grads_finite = all(bool(tf.reduce_all(tf.math.is_finite(g))) for g in grads)
        return loss.numpy(), kl.numpy(), entropy.numpy()


def collect_samples(agent, config):
    obs, acts, rews, logits, advs, lengths = [], [], [], [], [], []
    while len(obs) < config["timesteps_per_batch"]:
        o, done, ep_rews = agent.env.reset(), False, []
        while not done:
            a, lg = agent.compute_action(o)
            obs.append(o); acts.append(a); logits.append(lg)
            o, r, done = agent.env.step(a)
            ep_rews.append(r)
        ret, ep_adv = 0.0, []
        for r in reversed(ep_rews):  # lambda = 1: advantage = discounted return
            ret = r + config["gamma"] * ret
            ep_adv.append(ret)
        advs.extend(reversed(ep_adv)); rews.extend(ep_rews); lengths.append(len(ep_rews))
    trajectory = {"observations": np.array(obs), "actions": np.array(acts, np.int32),
                  "logprobs": np.array(logits, np.float32), "advantages": np.array(advs, np.float32),
                  "dones": np.zeros(len(obs))}
    return trajectory, float(np.sum(rews)), float(np.mean(lengths))


def shuffle(trajectory):
    permutation = np.random.permutation(trajectory["dones"].shape[0])
    return {key: val[permutation] for key, val in trajectory.items()}


class PolicyGradient:
    def __init__(self, config):
        self.config = config
        self.kl_coeff = config["kl_coeff"]
        self.model = Agent(SparseChainEnv(), config)
        self.j = 0

    def train(self):
        config, model = self.config, self.model
        self.j += 1
        trajectory, total_reward, traj_len_mean = collect_samples(model, config)
        trajectory["advantages"] = ((trajectory["advantages"] - trajectory["advantages"].mean()) /
                                    trajectory["advantages"].std())
        trajectory = shuffle(trajectory)
        tuples_per_device = model.load_data(trajectory)
        for i in range(config["num_sgd_iter"]):
            num_batches = int(tuples_per_device) // int(model.per_device_batch_size)
            permutation = np.random.permutation(num_batches)
            loss, kl, entropy = [], [], []
            for batch_index in range(num_batches):
                batch_loss, batch_kl, batch_entropy = model.run_sgd_minibatch(
                    permutation[batch_index] * model.per_device_batch_size, self.kl_coeff)
                loss.append(batch_loss); kl.append(batch_kl); entropy.append(batch_entropy)
            kl = np.mean(kl)
        if kl > 2.0 * config["kl_target"]:
            self.kl_coeff *= 1.5
        elif kl < 0.5 * config["kl_target"]:
            self.kl_coeff *= 0.5
        w = model.policy.get_layer("policy_logits").get_weights()[0]
        print(f"===> iteration {self.j}: total reward {total_reward:.0f}, loss {np.mean(loss):.4f}, "
              f"grads finite: {model.last_grads_finite}, weights NaN: {bool(np.isnan(w).any())}")
        return bool(np.isnan(w).any())


alg = PolicyGradient(DEFAULT_CONFIG)
for _ in range(DEFAULT_CONFIG["max_iterations"]):
    if alg.train():
        break
