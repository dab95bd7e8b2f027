"""A user wraps a learnable parameter vector `phi` in a small `tf.Module` whose
constructor turns it into mixture weights once (`self.mix =
tf.nn.softmax(phi)`) and whose method `fun(x)` uses those weights. The module is
built before the `tf.GradientTape` is opened, `fun(x)` is evaluated inside the
tape, and `tape.gradient(res, phi)` returns None, so `phi` can
never be trained. The cause: the softmax ran in `__init__`, when nothing was
recording; `self.mix` is a plain eager tensor with no link to `phi`, and
the computation inside the tape starts from that constant. The fix is to derive
the weights from `phi` inside the recorded computation (compute the softmax in
`fun`, or expose it as a property), or to construct the module inside the tape.

---
source: https://github.com/tensorflow/tensorflow/issues/39996
framework: both
outcome: gradient_none
cause: outside_tape
line: 30
variables: [phi]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class MyModule(tf.Module):
    def __init__(self, phi, name=None):
        super().__init__(name=name)
        self.phi = phi
        self.mix = tf.nn.softmax(self.phi)

    def fun(self, x):
        return tf.reduce_sum(self.mix * x)


phi = tf.Variable(tf.zeros(5), trainable=True, name="phi")
m = MyModule(phi)
x = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])

with tf.GradientTape() as tape:
    res = m.fun(x)
grad = tape.gradient(res, phi)
print("d res / d phi:", grad)
