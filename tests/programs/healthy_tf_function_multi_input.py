"""Healthy: a two-input functional model (text tokens and numeric features)
trained with a @tf.function step.

---
framework: both
outcome: trains_fine
cause: none
"""
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared

tokens_in = tf.keras.Input((10,), dtype="int32", name="tokens")
numeric_in = tf.keras.Input((4,), name="numeric")
emb = tf.keras.layers.Embedding(50, 8, name="embedding")(tokens_in)
pooled = tf.keras.layers.GlobalAveragePooling1D(name="pool")(emb)
num = tf.keras.layers.Dense(8, activation="relu", name="numeric_dense")(numeric_in)
merged = tf.keras.layers.Concatenate(name="merge")([pooled, num])
out = tf.keras.layers.Dense(1, name="score")(merged)
model = tf.keras.Model([tokens_in, numeric_in], out, name="two_tower")

bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-2)


@tf.function
def train_step(tokens, numeric, labels):
    with tf.GradientTape() as tape:
        logits = model([tokens, numeric], training=True)
        loss = bce(labels, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


tokens = tf.random.uniform((64, 10), 0, 50, dtype=tf.int32)
numeric = tf.random.normal((64, 4))
labels = tf.cast(tf.random.uniform((64, 1)) > 0.5, tf.float32)
for step in range(5):
    loss = train_step(tokens, numeric, labels)
print(f"loss {float(loss):.4f}")
