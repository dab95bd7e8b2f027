"""gradtrace from code: check a model's gradients in one call, without training it."""
import numpy as np
import tensorflow as tf

import gradtrace

tf.keras.utils.set_random_seed(0)
inputs = tf.keras.Input((8,), name="features")
trunk = tf.keras.layers.Dense(16, activation="relu", name="trunk")(inputs)
price = tf.keras.layers.Dense(1, name="price")(trunk)
category = tf.keras.layers.Dense(4, name="category")(trunk)
model = tf.keras.Model(inputs, {"price": price, "category": category}, name="listing")
model.compile(optimizer="adam", loss={"price": "mse"})  # the category head has no loss

x = np.random.rand(32, 8).astype("float32")
y = {"price": np.random.rand(32, 1).astype("float32"),
     "category": np.random.randint(0, 4, size=(32,))}

report = gradtrace.check_model(model, x, y)
print(report)
for variable in report.variables:
    print(f"{variable.name:<22} {variable.status:<5} {variable.norm or 0.0:.4f}  {variable.layer}")
