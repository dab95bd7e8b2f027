"""fit() on a model whose one-unit softmax makes the loss constant: gradtrace recomputes
the loss to explain the zero gradient, and Keras warns about that model when it runs."""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
from tensorflow import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="softmax")])
model.compile("adam", loss="categorical_crossentropy")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=2, verbose=0)
print("done")
