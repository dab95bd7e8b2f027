"""A user computing Grad-CAM heatmaps for a DenseNet121 chest X-ray classifier
(a frozen ImageNet-style backbone, global average pooling and a sigmoid head) ported
an old `K.gradients` helper to `tf.GradientTape`: they took the symbolic output of
the last convolutional block with `model.get_layer(layer_name).output`, called
`tape.watch()` on it, ran the model on the image inside the tape and asked for the
gradient of the class score with respect to that layer output. On TensorFlow 2.20
with Keras 3 the `tape.watch` call fails with "Passed in object <KerasTensor ...> of
type 'KerasTensor', not tf.Tensor or tf.Variable". The layer's `.output` is a
symbolic placeholder of the functional graph, not the activation computed for this
image, so the tape can neither watch it nor reach it from the score. Fix: build
`grad_model = keras.Model(model.inputs, [layer.output, model.output])`, call it
inside the tape, and take the gradient with respect to the returned activation.
---
source: https://github.com/tensorflow/tensorflow/issues/104521
framework: both
outcome: error
cause: unwatched_tensor
also: [wrong_sources]
line: [43, 45]
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications import DenseNet121
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D
from tensorflow.keras.models import Model

tf.keras.utils.set_random_seed(0)

labels = ["Cardiomegaly", "Emphysema", "Effusion", "Hernia"]

base_model = DenseNet121(weights=None, include_top=False, input_shape=(64, 64, 3))
x = base_model.output
x = GlobalAveragePooling2D()(x)
predictions = Dense(len(labels), activation="sigmoid")(x)
model = Model(inputs=base_model.input, outputs=predictions)


def grad_cam(input_model, image, cls, layer_name):
    """GradCAM method for visualizing input saliency."""
    image = tf.convert_to_tensor(image)
    spatial_map_layer = input_model.get_layer(layer_name).output
    with tf.GradientTape() as tape:
        tape.watch(spatial_map_layer)
        preds = input_model(image)
        y_c = preds[0, cls]
    grads_l = tape.gradient(y_c, spatial_map_layer)
    weights = tf.reduce_mean(grads_l, axis=(0, 1, 2))
    cam = tf.reduce_sum(weights * spatial_map_layer[0], axis=-1)
    return np.maximum(cam, 0)


image = np.random.rand(1, 64, 64, 3).astype("float32")
cam = grad_cam(model, image, cls=0, layer_name="conv5_block16_concat")
print("cam", cam.shape)
