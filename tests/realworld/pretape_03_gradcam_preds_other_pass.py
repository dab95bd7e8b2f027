"""Grad-CAM on a small grayscale CNN: inside the tape the last conv activations come from a truncated sub-model while the class scores come from a second, separate call of the full model, so the score does not depend on that activation tensor, tape.gradient returns None and the pooling of the gradients fails.

---
source: https://github.com/tensorflow/tensorflow/issues/62797
framework: both
outcome: error
cause: wrong_sources
line: [41, 45]
also: [disconnected]
static: false
variables: [last_conv_output]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

pixel_height, pixel_width = 32, 40
target_size = (pixel_height, pixel_width, 1)
output_shape = 4


def load_model():
    model = keras.Sequential([
        keras.Input(shape=target_size),
        layers.Conv2D(8, 3, activation="relu", name="conv1"),
        layers.MaxPooling2D(name="pool1"),
        layers.Conv2D(16, 3, activation="relu", name="last_conv"),
        layers.GlobalAveragePooling2D(name="gap"),
        layers.Dense(output_shape, activation="softmax", name="predictions"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def grad_cam(model, image_array, last_conv_layer_name="last_conv"):
    img = np.expand_dims(image_array, axis=0).astype(np.float32)
    last_conv_layer = model.get_layer(last_conv_layer_name)
    last_conv_layer_model = keras.Model(model.inputs, last_conv_layer.output)
    with tf.GradientTape() as tape:
        last_conv_output = last_conv_layer_model(img)
        tape.watch(last_conv_output)
        preds = model(img)
        top_class_index = int(tf.argmax(preds[0]))
    grads = tape.gradient(preds[:, top_class_index], last_conv_output)
    print("grads:", grads)
    pooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2))
    heatmap = tf.squeeze(last_conv_output[0] @ pooled_grads[..., tf.newaxis])
    return tf.maximum(heatmap, 0) / tf.math.reduce_max(heatmap)


def main():
    test_images = np.random.rand(5, *target_size).astype(np.float32)
    model = load_model()
    image_array = test_images[0]
    heatmap = grad_cam(model, image_array)
    print(heatmap.shape)


main()
