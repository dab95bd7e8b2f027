"""Grad-CAM helper from oarriaga/face_classification (src/utils/grad_cam.py). The user wraps the
trained mini-Xception in a new Sequential, adds a Lambda that masks the target class, takes
loss = K.sum(last output) and asks K.gradients(loss, conv_output) where conv_output is
`model.layers[0].get_layer(layer_name).output`. K.gradients returns [None] and `normalize`
crashes with "None values not supported". Cause (found by running): adding the functional model
to a new Sequential calls it on a fresh Input, creating a new node; `.output` of the inner conv
layer is the tensor of the model's ORIGINAL graph (node 0), which is not an ancestor of the new
Sequential's output. The gradient is asked for a tensor that lies on another path. Fix: build
one functional model that returns both `inner_model.get_layer(name).output` and the class score
from the same call (e.g. Model(inner.inputs, [conv.output, inner.output]) and mask that output).
Keras-2 (tf-keras) only: the code uses graph mode and K.gradients, which Keras 3 removed.
---
source: https://github.com/oarriaga/face_classification/issues/62
framework: keras2
outcome: error
cause: wrong_sources
static: false
line: [63, 55]
variables: [conv_output]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.compat.v1.disable_eager_execution()
import tensorflow.keras.backend as K
from tensorflow.keras.layers import Lambda, Input, Conv2D, GlobalAveragePooling2D, Activation
from tensorflow.keras.models import Sequential, Model
tf.keras.utils.set_random_seed(0)


def target_category_loss(x, category_index, num_classes):
    return tf.multiply(x, K.one_hot([category_index], num_classes))


def target_category_loss_output_shape(input_shape):
    return input_shape


def normalize(x):
    # utility function to normalize a tensor by its L2 norm
    return x / (K.sqrt(K.mean(K.square(x))) + 1e-5)


def mini_XCEPTION(input_shape=(16, 16, 1), num_classes=3):
    img_input = Input(input_shape)
    x = Conv2D(4, 3, padding='same', activation='relu', name='conv2d_5')(img_input)
    x = Conv2D(num_classes, 3, padding='same', name='conv2d_6')(x)
    x = GlobalAveragePooling2D()(x)
    output = Activation('softmax', name='predictions')(x)
    return Model(img_input, output)


def compile_gradient_function(input_model, category_index, layer_name):
    model = Sequential()
    model.add(input_model)

    num_classes = model.output_shape[1]
    target_layer = lambda x: target_category_loss(x, category_index, num_classes)
    model.add(Lambda(target_layer,
                     output_shape=target_category_loss_output_shape))

    loss = K.sum(model.layers[-1].output)
    conv_output = model.layers[0].get_layer(layer_name).output
    gradients = normalize(K.gradients(loss, conv_output)[0])
    gradient_function = K.function([model.layers[0].input],
                                   [conv_output, gradients])
    return gradient_function


if __name__ == '__main__':
    model = mini_XCEPTION()
    face = np.random.rand(1, 16, 16, 1).astype('float32')
    predictions = model.predict(face)
    predicted_class = int(np.argmax(predictions))
    gradient_function = compile_gradient_function(model, predicted_class, 'conv2d_6')
    output, grads = gradient_function([face])
    print(grads.shape)
