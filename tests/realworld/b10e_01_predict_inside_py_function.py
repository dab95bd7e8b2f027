"""A user wraps a plain Python helper, `outer_func(arr)`, in `tf.py_function` so
that NumPy-style code can run inside TensorFlow; the helper calls the Keras model
(`model.predict(arr)`) and returns its prediction. The py_function output is
turned into a loss inside a GradientTape and the gradient is asked for the model's
weights. Under TF 2.2 / tf.keras this raises "LookupError: No gradient defined
for operation 'IteratorGetNext'" (exactly what the report shows); under Keras 3
the gradients come back [None, None] and apply_gradients raises
"No gradients provided for any variable". Root cause: the model runs
inside the Python function handed to tf.py_function, whose gradient only flows to
the op's explicit inputs, never to variables used inside it; `predict` makes it
worse by feeding the data through a tf.data iterator (no gradient) and returning
NumPy. Per the thread, call the model directly (`model(x)`) in TensorFlow code
instead of through py_function/predict.
---
source: https://github.com/tensorflow/tensorflow/issues/39969
framework: both
outcome: error
cause: numpy_function
line: [43, 36]
also: [predict_in_tape]
variables: [dense/kernel, dense/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

inp = tf.keras.Input(shape=(5,))
out = tf.keras.layers.Dense(1, name="dense")(inp)
model = tf.keras.Model(inp, out)
optimizer = tf.keras.optimizers.SGD(0.01)


def outer_func(arr):
    return model.predict(arr, verbose=0)


x = tf.constant(np.random.rand(8, 5).astype("float32"))
y_true = tf.constant(np.random.rand(8, 1).astype("float32"))

with tf.GradientTape() as tape:
    y_pred = tf.py_function(outer_func, [x], tf.float32)
    loss = tf.reduce_mean(tf.square(y_true - y_pred))
grads = tape.gradient(loss, model.trainable_variables)
print("grads:", grads)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
