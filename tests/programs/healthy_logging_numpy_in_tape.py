"""Healthy: an eager loop that logs the loss with `.numpy()` / `float()` inside
the tape block (after the loss is computed), computes an accuracy metric inside
`tape.stop_recording()`, and uses one persistent tape for two models' gradients.

---
framework: both
outcome: trains_fine
cause: none
"""
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # reproducible, so gradtrace's output can be compared

classifier = tf.keras.Sequential(
    [tf.keras.Input((6,)), tf.keras.layers.Dense(16, activation="relu", name="clf_hidden"),
     tf.keras.layers.Dense(3, name="clf_out")], name="classifier")
regressor = tf.keras.Sequential(
    [tf.keras.Input((6,)), tf.keras.layers.Dense(8, activation="tanh", name="reg_hidden"),
     tf.keras.layers.Dense(1, name="reg_out")], name="regressor")
ce = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
opt_clf, opt_reg = tf.keras.optimizers.Adam(1e-2), tf.keras.optimizers.Adam(1e-2)
x = tf.random.normal((48, 6))
labels = tf.random.uniform((48,), 0, 3, dtype=tf.int32)
targets = tf.random.normal((48, 1))

for step in range(4):
    with tf.GradientTape(persistent=True) as tape:
        logits = classifier(x, training=True)
        clf_loss = ce(labels, logits)
        reg_loss = tf.reduce_mean(tf.square(regressor(x, training=True) - targets))
        print(f"step {step}: clf {clf_loss.numpy():.4f} reg {float(reg_loss):.4f}")
        with tape.stop_recording():
            predicted = tf.argmax(logits, axis=-1, output_type=tf.int32)
            accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, labels), tf.float32))
    clf_grads = tape.gradient(clf_loss, classifier.trainable_variables)
    reg_grads = tape.gradient(reg_loss, regressor.trainable_variables)
    del tape
    assert all(g is not None for g in clf_grads + reg_grads)
    opt_clf.apply_gradients(zip(clf_grads, classifier.trainable_variables))
    opt_reg.apply_gradients(zip(reg_grads, regressor.trainable_variables))
    print(f"step {step}: accuracy {float(accuracy):.3f}")
