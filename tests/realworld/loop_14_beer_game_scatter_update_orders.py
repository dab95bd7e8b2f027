"""Beer-game supply-chain RL: each agent's order comes from an actor network, and the simulator books orders and shipments into the players' non-trainable AO/AS pipeline variables with tf.compat.v1.scatter_update; the actor loss is the cost read back from those variables inside a tf.function step, so the actor gets no gradient.

---
source: https://github.com/tensorflow/tensorflow/issues/16255
framework: both
outcome: error
cause: variable_assign
line: [49, 46]
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

T_MAX, leadTime, leadTimeIn, n_players = 8, 2, 1, 3


class Player:
    def __init__(self, k):
        self.AO = tf.Variable(tf.zeros(T_MAX + 4), trainable=False, name=f"AO_{k}")   # arrived orders
        self.AS = tf.Variable(tf.zeros(T_MAX + 4), trainable=False, name=f"AS_{k}")   # arrived shipments
        self.inventory = tf.Variable(12.0, trainable=False, name=f"IL_{k}")
        self.order = tf.constant(0.0)

    def actionValue(self, curTime):
        return self.order


actor = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(16, activation="relu"),
                             tf.keras.layers.Dense(1, activation="softplus")], name="actor")
actor_opt = tf.keras.optimizers.Adam(1e-3)


class BeerGame:
    def __init__(self):
        self.players = [Player(k) for k in range(n_players)]
        self.curTime = 0

    def next(self, demand):
        for k in range(n_players):
            obs = tf.stack([self.players[k].inventory, self.players[k].AO[self.curTime], demand])[None, :]
            self.players[k].order = actor(obs)[0, 0]
            possible_shipment = tf.minimum(self.players[k].inventory, self.players[k].AO[self.curTime] + demand)
            if k > 0:
                self.players[k - 1].AS = tf.compat.v1.scatter_update(self.players[k - 1].AS,
                    self.curTime + leadTimeIn, tf.add(self.players[k - 1].AS[self.curTime + leadTimeIn], possible_shipment))
            if k + 1 < n_players:
                self.players[k + 1].AO = tf.compat.v1.scatter_update(self.players[k + 1].AO,
                    self.curTime + leadTime, tf.add(self.players[k + 1].AO[self.curTime + leadTime],
                                                    self.players[k].actionValue(self.curTime)))
        self.curTime += 1

    def cost(self):
        total = 0.0
        for p in self.players:
            on_hand = p.inventory + tf.reduce_sum(p.AS) - tf.reduce_sum(p.AO)
            total += 0.5 * tf.nn.relu(on_hand) + 1.0 * tf.nn.relu(-on_hand)
        return total


@tf.function
def train_step(demands):
    game = BeerGame()
    with tf.GradientTape() as tape:
        for t in range(T_MAX):
            game.next(demands[t])
        actor_loss = game.cost()
    grads = tape.gradient(actor_loss, actor.trainable_variables)
    actor_opt.apply_gradients(zip(grads, actor.trainable_variables))
    return actor_loss


print("cost", float(train_step(tf.constant(np.random.randint(2, 8, size=T_MAX).astype(np.float32)))))
