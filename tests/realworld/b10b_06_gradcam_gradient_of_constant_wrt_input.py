"""The user is working on a Grad-CAM style saliency map and reduces the
problem to a standalone snippet: an input batch `ones` (a plain tf.Tensor of
shape [1, 128, 128, 1]) and, inside `with tf.GradientTape() as tape:`, a
`class_channel` created as `tf.constant([4.4328732])` (a class score value),
then `grads = tape.gradient(class_channel, ones)`. The gradient is None and
they ask why. Per the answer (gadagashwini): the target is a constant that was
not computed from the source, and the source is a plain tensor that the tape
does not watch; compute the score from the input inside the tape and watch the
input (`tape.watch(x)`), as in the `y = x * x` example given. The user
confirmed this solved it. The program is the user's snippet as posted.
---
source: https://github.com/tensorflow/tensorflow/issues/56968
framework: both
outcome: gradient_none
cause: unwatched_tensor
line: [27, 28]
also: [disconnected]
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
ones = tf.ones([1, 128, 128, 1], tf.float32)
with tf.GradientTape() as tape:

    class_channel = tf.constant([4.4328732], dtype=tf.float32)
    grads = tape.gradient(class_channel, ones)

    print("grads: ", grads)
