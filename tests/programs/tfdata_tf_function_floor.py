"""An age regressor fed by tf.data with a compiled train step; the prediction is
floored to whole years before the loss, and tf.floor has no gradient.

---
framework: both
outcome: error
cause: nondifferentiable_op
line: 32
variables: [age_hidden, age_out]
"""
import numpy as np
import tensorflow as tf

features = np.random.rand(128, 7).astype("float32")
ages = np.random.randint(18, 80, size=(128, 1)).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((features, ages)).shuffle(128).batch(32)

model = tf.keras.Sequential(
    [
        tf.keras.Input((7,)),
        tf.keras.layers.Dense(16, activation="relu", name="age_hidden"),
        tf.keras.layers.Dense(1, name="age_out"),
    ],
    name="age_model",
)
optimizer = tf.keras.optimizers.Adam(1e-2)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        years = tf.floor(model(x, training=True) * 100.0)
        loss = tf.reduce_mean(tf.abs(years - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


for epoch in range(2):
    for x, y in dataset:
        loss = train_step(x, y)
    print(f"epoch {epoch}: mae {float(loss):.2f}")
