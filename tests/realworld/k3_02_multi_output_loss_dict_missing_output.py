"""Two-input, two-output functional model (input_a -> output_a, input_b -> output_b)
compiled with a loss dictionary that names only "output_a"; fit is given targets for
output_a only. The user expected Keras to simply train the outputs that have a loss.
The output_b branch takes no part in the total loss, so its Dense kernel and bias get no
gradient: Keras reports "Gradients do not exist for variables ... output_b" (TF 2.1 even
raised an exception) while output_a trains. The loss dictionary is where output_b's
loss (or removing output_b from the trained model) belongs.
---
source: https://github.com/tensorflow/tensorflow/issues/35267
framework: both
outcome: warning
cause: unused_variable
static: false
line: 33
variables: [output_b/kernel, output_b/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tensorflow.keras as keras

input_a = keras.layers.Input(shape=(10,), name="input_a")
input_b = keras.layers.Input(shape=(20,), name="input_b")
output_a = keras.layers.Dense(1, name="output_a")(input_a)
output_b = keras.layers.Dense(1, name="output_b")(input_b)
model = keras.models.Model(
    inputs={"input_a": input_a, "input_b": input_b},
    outputs={"output_a": output_a, "output_b": output_b},
)

model.compile(
    optimizer="sgd",
    loss={"output_a": "mse"},
)

n = 32
x = {"input_a": np.random.rand(n, 10).astype("float32"),
     "input_b": np.random.rand(n, 20).astype("float32")}
y = {"output_a": np.random.rand(n, 1).astype("float32")}
model.fit(x, y, batch_size=16, epochs=2, verbose=2)
