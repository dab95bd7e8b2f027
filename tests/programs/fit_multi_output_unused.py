"""model.fit on a two-output model (price and category) with a loss given only
for the price output: the category head takes no part in the loss.

---
framework: both
outcome: warning
cause: unused_variable
static: false
line: [18, 21]
variables: [category/kernel, category/bias]
"""
import numpy as np
import tensorflow as tf

inputs = tf.keras.Input((12,), name="listing")
trunk = tf.keras.layers.Dense(32, activation="relu", name="trunk")(inputs)
price = tf.keras.layers.Dense(1, name="price")(trunk)
category = tf.keras.layers.Dense(4, activation="softmax", name="category")(trunk)
model = tf.keras.Model(inputs, {"price": price, "category": category}, name="listing_model")

model.compile(optimizer="adam", loss={"price": "mse"})
x = np.random.rand(64, 12).astype("float32")
y = {"price": np.random.rand(64, 1).astype("float32"),
     "category": np.random.randint(0, 4, size=(64,))}
history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print("final loss:", history.history["loss"][-1])
