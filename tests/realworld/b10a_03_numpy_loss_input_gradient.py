"""The user wants the gradient of a loss with respect to the *input* of a
tf.keras model (tf.keras GradientTape: get gradient with respect to input). They
convert the input to a tensor, `tape.watch` it, run the model inside the tape,
and compute a custom loss. The custom loss converts the model's predictions to
NumPy arrays to do its arithmetic and returns the result as a tensor again.
`tape.gradient(loss, x)` returns None. The user's own resolution in the thread:
"Converting the loss value and the predictions from the model to numpy array...
It is imperative that you don't convert them to numpy arrays at any point in
time before computing the gradients" -- the custom loss must use TF ops only.
---
source: https://github.com/tensorflow/tensorflow/issues/36596
framework: both
outcome: gradient_none
cause: numpy_conversion
line: 33
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

model = keras.Sequential([
    keras.Input(shape=(20,)),
    keras.layers.Dense(32, activation="relu", name="hidden"),
    keras.layers.Dense(5, activation="softmax", name="probs"),
])


def custom_loss(y_true, y_pred):
    y_pred = y_pred.numpy()              # predictions leave TensorFlow here
    y_true = np.asarray(y_true)
    ce = -np.sum(y_true * np.log(y_pred + 1e-7), axis=-1)
    return tf.convert_to_tensor(np.mean(ce), dtype=tf.float32)


inputs = np.random.rand(4, 20).astype("float32")
labels = np.eye(5, dtype="float32")[np.random.randint(0, 5, size=4)]

x = tf.convert_to_tensor(inputs)
with tf.GradientTape() as tape:
    tape.watch(x)
    preds = model(x)
    loss = custom_loss(labels, preds)
grads = tape.gradient(loss, x)
print("loss:", float(loss), "gradient w.r.t. input:", grads)
