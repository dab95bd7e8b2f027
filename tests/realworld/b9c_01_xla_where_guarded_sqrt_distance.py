"""A user trained a small siamese embedding network with a "safe" Euclidean
distance, `tf.where(d_sq > 0, tf.sqrt(d_sq), 0.0)`, the standard pattern for
keeping the gradient of sqrt finite when two points coincide. The training
step was compiled with `tf.function(jit_compile=True)`. Some pairs are
identical (anchor == positive), so `d_sq` is exactly 0 for them. In eager mode
and in plain graph mode the guard works and the gradient is 0 for those rows,
but under XLA the gradient of `tf.where` also evaluates the dead branch: the
gradient of sqrt at 0 is inf, and inf * 0 gives NaN. The NaN flows into every
weight after the first step and the loss turns into NaN. The report (TF issue
118674) names the cause: XLA leaks the NaN from the unselected branch. The
fix is the "double where": take the sqrt of a value that is never 0, e.g.
`tf.sqrt(tf.where(d_sq > 0, d_sq, 1.0))`, or drop jit_compile.
---
source: https://github.com/tensorflow/tensorflow/issues/118674
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 30
variables: [embed_dense, embed_out]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


def safe_distance(x, y):
    d_sq = tf.reduce_sum((x - y) ** 2, axis=-1)
    return tf.where(d_sq > 0, tf.sqrt(d_sq), 0.0)


def build_encoder():
    inp = tf.keras.Input(shape=(8,))
    h = tf.keras.layers.Dense(16, activation="tanh", name="embed_dense")(inp)
    out = tf.keras.layers.Dense(4, name="embed_out")(h)
    return tf.keras.Model(inp, out)


encoder = build_encoder()
optimizer = tf.keras.optimizers.SGD(learning_rate=0.05)


@tf.function(jit_compile=True)
def train_step(anchor, other, same):
    with tf.GradientTape() as tape:
        d = safe_distance(encoder(anchor), encoder(other))
        # contrastive loss: pull equal pairs together, push others apart
        loss = tf.reduce_mean(same * d ** 2 +
                              (1.0 - same) * tf.nn.relu(1.0 - d) ** 2)
    grads = tape.gradient(loss, encoder.trainable_variables)
    optimizer.apply_gradients(zip(grads, encoder.trainable_variables))
    return loss


anchor = np.random.rand(32, 8).astype("float32")
other = np.random.rand(32, 8).astype("float32")
same = np.zeros((32,), "float32")
other[:8] = anchor[:8]          # positives that are exact duplicates
same[:8] = 1.0

for step in range(5):
    loss = train_step(anchor, other, same)
    print("step", step, "loss", float(loss))
