"""The user trains the eager YOLOv3 port (Darknet conv + BatchNormalization +
LeakyReLU blocks). Its training code keeps the tape in a helper:
`_grad_fn(model, images, y_trues)` runs the model under a GradientTape and
`return tape.gradient(loss, model.variables)`; the epoch loop then calls
`optimizer.apply_gradients(zip(grads, model.variables))`. Every step warns
"Gradients do not exist for variables ['stage0/layer_0/moving_mean:0',
'stage0/layer_0/moving_variance:0', ...]". The BatchNormalization statistics
are in `model.variables` but are updated by assignment, not by the loss, so
their gradients are None. Fix: ask for and apply gradients over
`model.trainable_variables`. Shrunk to a three-block Darknet-style detector
head on random 32x32 images with a squared-error loss.
---
source: https://github.com/penny4860/tf2-eager-yolo3/issues/17
framework: both
outcome: warning
cause: unused_variable
line: [62, 53]
also: [wrong_sources]
variables: [moving_mean, moving_variance]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)


def conv_block(x, filters, stride, name):
    x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False,
                      name=f"{name}_conv")(x)
    x = layers.BatchNormalization(name=f"{name}_bn")(x)
    return layers.LeakyReLU(0.1, name=f"{name}_leaky")(x)


def build_yolonet(n_boxes=3, n_classes=2):
    images = tf.keras.Input((32, 32, 3))
    x = conv_block(images, 8, 1, "stage0_layer_0")
    x = conv_block(x, 16, 2, "stage1_layer_1")
    x = conv_block(x, 16, 2, "stage2_layer_2")
    detections = layers.Conv2D(n_boxes * (5 + n_classes), 1, name="detection_layer")(x)
    return tf.keras.Model(images, detections)


def loss_fn(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred))


def _loop_train(model, optimizer, batches):
    losses = []
    for xs, ys in batches:
        grads, loss = _grad_fn(model, xs, ys)
        optimizer.apply_gradients(zip(grads, model.variables))
        losses.append(float(loss))
    return losses


def _grad_fn(model, images_tensor, y_trues):
    with tf.GradientTape() as tape:
        logits = model(images_tensor, training=True)
        loss = loss_fn(y_trues, logits)
    return tape.gradient(loss, model.variables), loss


rng = np.random.default_rng(0)
model = build_yolonet()
optimizer = tf.keras.optimizers.Adam(1e-3)
batches = [(rng.normal(size=(4, 32, 32, 3)).astype("float32"),
            rng.normal(size=(4, 8, 8, 21)).astype("float32")) for _ in range(3)]
for epoch in range(2):
    print(f"epoch {epoch}: loss {np.mean(_loop_train(model, optimizer, batches)):.4f}")
