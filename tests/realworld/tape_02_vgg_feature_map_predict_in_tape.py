"""Feature-map visualisation (activation maximisation) on VGG16, from a Stack
Overflow question (mirrored on isolution.pro): `getGradient` builds a sub-model up to
a conv layer, then inside the tape calls `model.predict(pic, steps=1)` and slices one
feature map. `predict` returns a NumPy array, so `loss` is a constant with no history;
in addition `pic` is a plain tensor never watched and the gradient is asked for
`pic[0]`, a new slice taken after the tape closed. `tape.gradient` returns None and
`apply_gradients(zip(gradients, pic))` then fails. The fix: make the image a
`tf.Variable` (or `tape.watch(pic)`), call `model(pic)` instead of `predict`, and
differentiate with respect to `pic` itself. (VGG16 is built with random weights on a
small input so the program runs offline.) Under tf.keras (Keras 2) the `predict`
call inside the active tape already fails: LookupError, no gradient for IteratorGetNext.
---
source: https://isolution.pro/q/so69914111/tensorflow-2-wa-kobai-o-keisanshimasen
framework: both
outcome: error
cause: predict_in_tape
also: [unwatched_tensor]
line: 40
variables: [pic]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
import numpy as np
from tensorflow.keras.applications import vgg16


class maxFeatureMap():

    def __init__(self, model):
        self.model = model
        self.optimizer = tf.keras.optimizers.Adam()

    def getGradient(self, layer, feature_map):
        pic = vgg16.preprocess_input(np.random.uniform(size=(1, 32, 32, 3)))  ## Creates values between 0 and 1
        pic = tf.convert_to_tensor(pic)
        model = tf.keras.Model(inputs=self.model.inputs,
                               outputs=self.model.layers[layer].output)
        with tf.GradientTape() as tape:
            ## predicts the output of the model and only chooses the feature_map indicated
            predictions = model.predict(pic, steps=1, verbose=0)[0][:, :, feature_map]
            loss = tf.reduce_mean(predictions)
        print(loss)
        gradients = tape.gradient(loss, pic[0])
        print(gradients)
        self.optimizer.apply_gradients(zip(gradients, pic))


model = vgg16.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
x = maxFeatureMap(model)
x.getGradient(3, 5)
