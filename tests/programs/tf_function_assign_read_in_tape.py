"""A value computed from `w` is stored into a buffer variable by a `@tf.function`
helper called inside the tape, and the loss reads the buffer back: the assignment
happens inside the called function's graph, where the tape sees one call op. The
gradient with respect to `w` is None.

---
framework: both
outcome: gradient_none
cause: variable_assign
line: 21
variables: [w]
"""
import tensorflow as tf

w = tf.Variable(2.0, name="w")
buf = tf.Variable(0.0, name="buf")


@tf.function
def store(value):
    buf.assign(value * 3.0)


with tf.GradientTape() as tape:
    store(w * 1.0)
    loss = buf * 2.0
print(tape.gradient(loss, w))
