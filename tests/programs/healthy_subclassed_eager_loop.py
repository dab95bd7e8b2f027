"""Healthy: a subclassed model with dropout and layer normalisation, trained in an
eager GradientTape loop over a tf.data pipeline.

---
framework: both
outcome: trains_fine
cause: none
"""
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared


class MLP(tf.keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense1 = tf.keras.layers.Dense(32, activation="relu", name="dense1")
        self.norm = tf.keras.layers.LayerNormalization(name="norm")
        self.drop = tf.keras.layers.Dropout(0.1, name="drop")
        self.out = tf.keras.layers.Dense(3, name="out")

    def call(self, inputs, training=False):
        h = self.norm(self.dense1(inputs))
        return self.out(self.drop(h, training=training))


model = MLP(name="mlp")
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-3)
x = np.random.rand(96, 6).astype("float32")
y = np.random.randint(0, 3, size=(96,))
dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(96).batch(32)

for epoch in range(2):
    for xb, yb in dataset:
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits) + 1e-4 * tf.add_n([tf.nn.l2_loss(v) for v in model.trainable_variables])
        grads = tape.gradient(loss, model.trainable_variables)
        assert all(g is not None for g in grads)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"epoch {epoch}: loss {float(loss):.4f}")
