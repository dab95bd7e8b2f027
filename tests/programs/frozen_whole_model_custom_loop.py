"""Fine-tuning gone wrong: the script meant to freeze only the first layer
(`model.layers[0].trainable = False`) but froze the whole model. The eager loop
then asks for the gradients of `model.trainable_variables`, an empty list, and
the optimizer gets nothing to update. (Keras 3 raises inside apply_gradients;
tf-keras accepts the empty list and the loss never moves, so the case is
keras3 only.)

---
framework: keras3
outcome: error
cause: frozen_model
line: 27
variables: [features, scores]
"""
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential(
    [
        tf.keras.Input((9,)),
        tf.keras.layers.Dense(20, activation="relu", name="features"),
        tf.keras.layers.Dense(4, name="scores"),
    ],
    name="finetuned",
)
# freeze the feature extractor before fine-tuning
model.trainable = False
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-3)
x = np.random.rand(64, 9).astype("float32")
y = np.random.randint(0, 4, size=(64,))
dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)

for epoch in range(2):
    for xb, yb in dataset:
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"epoch {epoch}: loss {float(loss):.4f}")
