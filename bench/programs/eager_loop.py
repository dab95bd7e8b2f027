"""A healthy 300-step eager custom training loop (GradientTape), timed from inside."""
import os
import time

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential([
    tf.keras.Input((64,)),
    tf.keras.layers.Dense(256, activation="relu"),
    tf.keras.layers.Dense(256, activation="relu"),
    tf.keras.layers.Dense(10),
])
optimizer = tf.keras.optimizers.Adam(1e-3)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
x = np.random.rand(128, 64).astype("float32")
y = np.random.randint(0, 10, size=(128,))

start = time.perf_counter()
for step in range(300):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
elapsed = time.perf_counter() - start
with open(os.environ["BENCH_RESULT"], "w") as out:
    out.write(f"elapsed {elapsed}\n")
print(f"final loss {float(loss):.6f}")
