"""Healthy: transfer learning with a frozen base (`base.trainable = False`) and a
new head. Trained first with model.fit, then with an eager GradientTape loop over
model.trainable_variables (the head only). Frozen on purpose; nothing is missing.

---
framework: both
outcome: trains_fine
cause: none
"""
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared

base = tf.keras.Sequential(
    [
        tf.keras.Input((10,)),
        tf.keras.layers.Dense(24, activation="relu", name="base_1"),
        tf.keras.layers.Dense(12, activation="relu", name="base_2"),
    ],
    name="base",
)
base.trainable = False
inputs = tf.keras.Input((10,))
features = base(inputs, training=False)
hidden = tf.keras.layers.Dense(8, activation="relu", name="head_hidden")(features)
outputs = tf.keras.layers.Dense(3, name="head_out")(hidden)
model = tf.keras.Model(inputs, outputs, name="transfer")

loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-2), loss=loss_fn)
x = np.random.rand(64, 10).astype("float32")
y = np.random.randint(0, 3, size=(64,))
history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print("fit losses:", [round(v, 4) for v in history.history["loss"]])

optimizer = tf.keras.optimizers.SGD(0.05)
print("trainable:", len(model.trainable_variables), "frozen:", len(model.non_trainable_variables))
for step in range(3):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None for g in grads)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"step {step}: loss {float(loss):.4f}")
