"""Blog report of the open tf.norm bug (tensorflow/tensorflow#12071): a quantity is computed as
`tf.norm(x * x)` under a GradientTape with `x` watched. For x = 0.1 the gradient is the
expected 0.2, but for a tiny x (1e-30) the product underflows to 0 in float32, the gradient of
the Euclidean norm divides by the norm (x / ||x||, 0 / 0) and comes back NaN instead of ~0.
Here the same expression is the penalty of a one-parameter fit with a tf.Variable that sits
at that tiny value, so a plain SGD loop gets a NaN gradient in its first step and writes NaN
into the variable with no error. `tf.abs(x * x)` or a norm with an epsilon under the sqrt
avoids it.
---
source: https://samliu.github.io/2019/03/27/tf-norm.html
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 31
variables: [x]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

x = tf.constant(0.1)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.norm(x * x)
grad = tape.gradient(y, x)  # Returns correct gradient, 0.2
print("x = 0.1   -> grad:", round(float(grad), 4))

x = tf.Variable(1e-30)
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
for step in range(2):
    with tf.GradientTape() as tape:
        y = tf.norm(x * x)
        loss = y + (x - 1.0) ** 2
    grad = tape.gradient(loss, x)
    print("step", step, "loss:", float(loss), "grad:", float(grad))
    optimizer.apply_gradients([(grad, x)])
    print("x after step", step, ":", float(x.numpy()))
