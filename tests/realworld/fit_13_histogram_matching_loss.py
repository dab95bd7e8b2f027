"""Histogram matching: two trainable vectors are compared through tf.histogram_fixed_width counts
(cast to float) with an l2 loss, and an Adam step is taken; the histogram returns integer counts and has
no gradient, so the optimizer gets no gradient for either variable.

---
source: https://github.com/tensorflow/tensorflow/issues/14894
framework: both
outcome: error
cause: nondifferentiable_op
line: [25, 26]
also: [integer_cast]
variables: [input1, input2]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

input1 = tf.Variable([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], name='input1')
input2 = tf.Variable([2.0, 3.0, 4.0, 6.0, 8.0, 9.0], name='input2')
values_range = tf.constant([0., 10.], dtype=tf.float32)
optimizer = tf.keras.optimizers.Adam(0.001)

for i in range(0, 3):
    with tf.GradientTape() as tape:
        source_hist = tf.histogram_fixed_width(tf.cast(input1, tf.float32), values_range, 11)
        template_hist = tf.histogram_fixed_width(tf.cast(input2, tf.float32), values_range, 11)
        source_hist = tf.cast(source_hist, tf.float32)
        template_hist = tf.cast(template_hist, tf.float32)
        loss = 2 * tf.nn.l2_loss(source_hist - template_hist)
    grads = tape.gradient(loss, [input1, input2])
    optimizer.apply_gradients(zip(grads, [input1, input2]))
    print('input1_value', input1.numpy())
    print('input2_value', input2.numpy())
