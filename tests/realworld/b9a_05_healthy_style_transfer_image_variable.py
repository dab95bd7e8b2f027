"""Healthy case adapted from the keras.io "Neural style transfer" example. A
frozen convolutional feature extractor is built from the outputs of another
model's layers, the weights of that network are never trained, and the only
thing optimised is a `tf.Variable` holding the generated image; the loss and
gradients are computed in a `@tf.function` helper and applied with
`optimizer.apply_gradients([(grads, combination_image)])`. That looks like
"nothing trainable" / "gradient w.r.t. the wrong thing", but it is intended:
the tape watches the image variable automatically, its gradient exists and the
total (content + style + variation) loss falls. VGG19 weights are replaced by a
small random CNN and sizes are shrunk so it runs offline on CPU.
---
source: https://github.com/keras-team/keras-io/blob/master/examples/generative/neural_style_transfer.py
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

img_nrows, img_ncols = 24, 24
total_variation_weight = 1e-6
style_weight = 1e-6
content_weight = 2.5e-8

base_image = tf.constant(np.random.rand(1, img_nrows, img_ncols, 3).astype("float32"))
style_reference_image = tf.constant(np.random.rand(1, img_nrows, img_ncols, 3).astype("float32"))


def gram_matrix(x):
    x = tf.transpose(x, (2, 0, 1))
    features = tf.reshape(x, (tf.shape(x)[0], -1))
    gram = tf.matmul(features, tf.transpose(features))
    return gram


def style_loss(style, combination):
    S = gram_matrix(style)
    C = gram_matrix(combination)
    channels = 3
    size = img_nrows * img_ncols
    return tf.reduce_sum(tf.square(S - C)) / (4.0 * (channels**2) * (size**2))


def content_loss(base, combination):
    return tf.reduce_sum(tf.square(combination - base))


def total_variation_loss(x):
    a = tf.square(x[:, : img_nrows - 1, : img_ncols - 1, :] - x[:, 1:, : img_ncols - 1, :])
    b = tf.square(x[:, : img_nrows - 1, : img_ncols - 1, :] - x[:, : img_nrows - 1, 1:, :])
    return tf.reduce_sum(tf.pow(a + b, 1.25))


# Stand-in for keras.applications.vgg19.VGG19(weights="imagenet", include_top=False)
inp = keras.Input((img_nrows, img_ncols, 3))
h = keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="block1_conv1")(inp)
h = keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="block2_conv1")(h)
h = keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="block5_conv2")(h)
model = keras.Model(inp, h)

outputs_dict = dict([(layer.name, layer.output) for layer in model.layers[1:]])
feature_extractor = keras.Model(inputs=model.inputs, outputs=outputs_dict)

style_layer_names = ["block1_conv1", "block2_conv1"]
content_layer_name = "block5_conv2"


def compute_loss(combination_image, base_image, style_reference_image):
    input_tensor = tf.concat([base_image, style_reference_image, combination_image], axis=0)
    features = feature_extractor(input_tensor)

    loss = tf.zeros(shape=())
    layer_features = features[content_layer_name]
    base_image_features = layer_features[0, :, :, :]
    combination_features = layer_features[2, :, :, :]
    loss = loss + content_weight * content_loss(base_image_features, combination_features)
    for layer_name in style_layer_names:
        layer_features = features[layer_name]
        style_reference_features = layer_features[1, :, :, :]
        combination_features = layer_features[2, :, :, :]
        sl = style_loss(style_reference_features, combination_features)
        loss += (style_weight / len(style_layer_names)) * sl

    loss += total_variation_weight * total_variation_loss(combination_image)
    return loss


@tf.function
def compute_loss_and_grads(combination_image, base_image, style_reference_image):
    with tf.GradientTape() as tape:
        loss = compute_loss(combination_image, base_image, style_reference_image)
    grads = tape.gradient(loss, combination_image)
    return loss, grads


optimizer = keras.optimizers.SGD(learning_rate=100.0)

combination_image = tf.Variable(np.random.rand(1, img_nrows, img_ncols, 3).astype("float32"))

iterations = 40
for i in range(1, iterations + 1):
    loss, grads = compute_loss_and_grads(combination_image, base_image, style_reference_image)
    optimizer.apply_gradients([(grads, combination_image)])
    if i % 10 == 0 or i == 1:
        print("Iteration %d: loss=%.6f" % (i, float(loss)))
