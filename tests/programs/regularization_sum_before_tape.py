"""An eager training loop that wants L2 weight decay on its hidden layer: the layer has
`kernel_regularizer=l2(1.0)` and the loop sums `model.losses` into the loss, but takes the
sum before opening the tape. Keras computes those regularization values from the kernel
when `model.losses` is read, so the tape gets them as a constant: the kernel trains on the
data loss only and the decay does nothing (no error, no warning).

---
framework: both
outcome: trains_silently
cause: outside_tape
line: 29
variables: [hidden/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential([
    tf.keras.Input((8,)),
    tf.keras.layers.Dense(16, activation="relu", name="hidden",
                          kernel_regularizer=tf.keras.regularizers.l2(1.0)),
    tf.keras.layers.Dense(1, name="out"),
])
optimizer = tf.keras.optimizers.SGD(0.01)
x = np.random.randn(64, 8).astype("float32")
y = np.random.randn(64, 1).astype("float32")
for step in range(5):
    regularization = tf.add_n(model.losses)
    with tf.GradientTape() as tape:
        pred = model(x, training=True)
        loss = tf.reduce_mean(tf.square(y - pred)) + regularization
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(step, "loss", float(loss), "kernel norm", float(tf.norm(model.layers[0].kernel)))
