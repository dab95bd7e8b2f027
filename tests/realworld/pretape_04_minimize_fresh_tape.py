"""TF1 image-restoration script ported to TF2 eager: the loss dictionary is computed first, then `Adam.minimize(lossDict["all_loss"], var_list=all_vars, tape=tf.GradientTape())` is handed a brand-new tape that was never entered and recorded nothing; tape.gradient on it raises the misleading "A non-persistent GradientTape can only be used to compute one set of gradients".

---
source: https://github.com/tensorflow/tensorflow/issues/56909
framework: keras2
outcome: error
cause: outside_tape
line: [42, 47]
static: false
variables: [g_conv1, g_conv2, g_conv3]
"""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

task = "denoise"


def build_generator():
    inp = tf.keras.Input(shape=(32, 32, 3))
    x = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="g_conv1")(inp)
    x = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="g_conv2")(x)
    out = tf.keras.layers.Conv2D(3, 3, padding="same", name="g_conv3")(x)
    return tf.keras.Model(inp, tf.keras.layers.Add()([inp, out]), name="generator")


def build_loss(net_out, gt):
    lossDict = {}
    lossDict["l1_loss"] = tf.reduce_mean(tf.abs(net_out - gt))
    lossDict["ssim_loss"] = 1.0 - tf.reduce_mean(tf.image.ssim(net_out, gt, max_val=1.0))
    lossDict["all_loss"] = lossDict["l1_loss"] + 0.2 * lossDict["ssim_loss"]
    return lossDict


generator = build_generator()
noisy = np.random.rand(4, 32, 32, 3).astype(np.float32)
clean = np.clip(noisy + 0.1 * np.random.randn(4, 32, 32, 3), 0, 1).astype(np.float32)

for epoch in range(2):
    net_out = generator(noisy, training=True)
    lossDict = build_loss(net_out, clean)

    all_vars = [var for var in generator.trainable_variables
                if 'g_' in var.name]
    all_opt = tf.optimizers.Adam(learning_rate=0.0001).minimize(
        lossDict["all_loss"], var_list=all_vars, tape=tf.GradientTape())
    print("epoch", epoch, task, float(lossDict["all_loss"]))
