"""Healthy: an Embedding + LSTM text classifier, trained for a few steps in an
eager GradientTape loop and then for one epoch with model.fit.

---
framework: both
outcome: trains_fine
cause: none
"""
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared

VOCAB, SEQ_LEN = 50, 12
model = tf.keras.Sequential(
    [
        tf.keras.Input((SEQ_LEN,), dtype="int32"),
        tf.keras.layers.Embedding(VOCAB, 16, name="embed"),
        tf.keras.layers.LSTM(16, name="lstm"),
        tf.keras.layers.Dense(2, name="classifier"),
    ],
    name="text_clf",
)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-2)
tokens = np.random.randint(0, VOCAB, size=(64, SEQ_LEN)).astype("int32")
labels = np.random.randint(0, 2, size=(64,))

for step in range(4):
    batch = slice(16 * step, 16 * (step + 1))
    with tf.GradientTape() as tape:
        logits = model(tokens[batch], training=True)
        loss = loss_fn(labels[batch], logits)
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None for g in grads)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"eager step {step}: loss {float(loss):.4f}")

model.compile(optimizer=tf.keras.optimizers.Adam(1e-2), loss=loss_fn)
history = model.fit(tokens, labels, epochs=1, batch_size=16, verbose=0)
print(f"fit epoch 0: loss {history.history['loss'][0]:.4f}")
