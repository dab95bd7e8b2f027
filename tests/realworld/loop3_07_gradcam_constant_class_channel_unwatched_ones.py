"""While debugging a Grad-CAM heat map, the user reduces the problem to a few lines: an image
tensor `ones = tf.ones([1, 128, 128, 1])` created before the tape, and a class score
`class_channel` that is a `tf.constant` typed in by hand (the value the model had produced)
inside the tape, then `tape.gradient(class_channel, ones)`. The score is a constant that was
not computed from `ones` at all, and `ones` is a plain tensor that was never `tape.watch`ed,
so the gradient is None. The maintainers' answer: the target must be a differentiable function
of the source; compute the class score from the (watched) input or from the conv layer output
inside the tape, as in the Grad-CAM example.
---
source: https://github.com/tensorflow/tensorflow/issues/56968
framework: both
outcome: gradient_none
cause: disconnected
also: [unwatched_tensor]
line: 24
variables: [ones]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

ones = tf.ones([1, 128, 128, 1], tf.float32)
with tf.GradientTape() as tape:

    class_channel = tf.constant([4.4328732], dtype=tf.float32)
    grads = tape.gradient(class_channel, ones)

    print("grads: ", grads)
