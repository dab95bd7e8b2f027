"""A user has a small (non-custom) Keras model of two Dense layers, `layer_1` and
`alpha`, with constant initialisers, gets `prediction = model.predict(input_data)`
and wants the derivative of the output with respect to the inputs at
`input_data`. `K.gradients(model.output, model.input)` fails under eager
execution ("tf.gradients is not supported when eager execution is enabled"), so
they wrap the prediction in a GradientTape that watches the input tensor and ask
`tape.gradient(prediction, x)`. The gradient is None. Root cause: `model.predict` returns a NumPy array computed in its own loop, so the
tape never links the output to `x`; the fix given in the thread is to call the
model directly, `prediction = model(x)`, inside the tape. (The tape step is
reconstructed from the question's description of what was tried. Under tf-keras
the `predict` call itself raises "LookupError: No gradient defined for operation
'IteratorGetNext'".)
---
source: https://www.whosebug.com/question/4868852/How-do-I-get-the-gradient-of-a-keras-model-with-respect-to-its-inputs
framework: keras3
outcome: gradient_none
cause: predict_in_tape
line: 48
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
rows, cols = 10, 3

inputs = tf.keras.Input((cols,), name="input")
layer_1 = tf.keras.layers.Dense(
    10,
    name="layer_1",
    use_bias=True,
    kernel_initializer=tf.constant_initializer(0.5),
    bias_initializer=tf.constant_initializer(0.1))(inputs)
outputs = tf.keras.layers.Dense(
    1,
    name="alpha",
    use_bias=True,
    kernel_initializer=tf.constant_initializer(0.1),
    bias_initializer=tf.constant_initializer(0))(layer_1)
model = tf.keras.Model(inputs=inputs, outputs=outputs)

input_data = np.random.normal(size=(rows, cols)).astype("float32")
x = tf.convert_to_tensor(input_data)

with tf.GradientTape() as tape:
    tape.watch(x)
    prediction = model.predict(x, verbose=0)
gradients = tape.gradient(tf.convert_to_tensor(prediction), x)
print("prediction:", prediction[:2].ravel())
print("gradients:", gradients)
