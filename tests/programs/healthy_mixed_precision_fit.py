"""Healthy: a small CNN trained with model.fit under the mixed_float16 policy.
Keras wraps the optimizer in a LossScaleOptimizer; the float16 compute must not
be mistaken for a broken gradient chain.

---
framework: both
outcome: trains_fine
cause: none
"""
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared
tf.keras.mixed_precision.set_global_policy("mixed_float16")

model = tf.keras.Sequential(
    [
        tf.keras.Input((12, 12, 1)),
        tf.keras.layers.Conv2D(8, 3, activation="relu", name="conv"),
        tf.keras.layers.MaxPooling2D(name="pool"),
        tf.keras.layers.Flatten(name="flat"),
        tf.keras.layers.Dense(16, activation="relu", name="hidden"),
        tf.keras.layers.Dense(4, name="logits"),
        tf.keras.layers.Activation("softmax", dtype="float32", name="probs"),
    ],
    name="small_cnn",
)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
x = np.random.rand(64, 12, 12, 1).astype("float32")
y = np.random.randint(0, 4, size=(64,))
history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
for epoch, loss in enumerate(history.history["loss"]):
    print(f"epoch {epoch}: loss {loss:.4f}")
print("compute dtype:", model.get_layer("hidden").compute_dtype)
