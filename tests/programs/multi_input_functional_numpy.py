"""A two-input rating model (user and item features) trained in an eager loop;
the loss is averaged with np.mean inside the tape.

---
framework: both
outcome: error
cause: numpy_conversion
line: 35
variables: [user_tower, item_tower, rating]
"""
import numpy as np
import tensorflow as tf

user_in = tf.keras.Input((10,), name="user")
item_in = tf.keras.Input((12,), name="item")
u = tf.keras.layers.Dense(8, activation="relu", name="user_tower")(user_in)
v = tf.keras.layers.Dense(8, activation="relu", name="item_tower")(item_in)
joined = tf.keras.layers.Concatenate(name="joined")([u, v])
rating = tf.keras.layers.Dense(1, name="rating")(joined)
model = tf.keras.Model([user_in, item_in], rating, name="recommender")
optimizer = tf.keras.optimizers.Adam(1e-3)

users = np.random.rand(64, 10).astype("float32")
items = np.random.rand(64, 12).astype("float32")
ratings = np.random.randint(1, 6, size=(64, 1)).astype("float32")

for epoch in range(2):
    for start in range(0, 64, 16):
        batch = slice(start, start + 16)
        with tf.GradientTape() as tape:
            pred = model([users[batch], items[batch]], training=True)
            err = pred - ratings[batch]
            # Mean squared error, weighted so that 5-star ratings count double.
            weights = np.where(ratings[batch] == 5.0, 2.0, 1.0)
            loss = np.mean(weights * np.square(err))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"epoch {epoch}: loss {loss:.4f}")
