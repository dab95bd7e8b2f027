"""Deep-learning-with-Python DeepDream listing (8.11) ported to TF2: the dream loss is assembled from the layers' symbolic `.output` tensors before any tape exists, and the gradient of that loss w.r.t. the symbolic `model.input` is then asked from an empty GradientTape, which fails with "'KerasTensor' object has no attribute '_id'".

---
source: https://github.com/fchollet/deep-learning-with-python-notebooks/issues/181
framework: keras2
outcome: error
cause: outside_tape
line: [38, 42, 45]
also: [unwatched_tensor]
static: false
variables: [dream]
"""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras import layers, models

# a small stand-in for inception_v3.InceptionV3(weights='imagenet', include_top=False)
inp = layers.Input(shape=(None, None, 3))
x = layers.Conv2D(8, 3, activation="relu", name="mixed2")(inp)
x = layers.Conv2D(8, 3, activation="relu", name="mixed3")(x)
x = layers.Conv2D(8, 3, activation="relu", name="mixed4")(x)
x = layers.Conv2D(8, 3, activation="relu", name="mixed5")(x)
model = models.Model(inp, x)

layer_contributions = {
    'mixed2': 0.2,
    'mixed3': 3.,
    'mixed4': 2.,
    'mixed5': 1.5,
}
layer_dict = dict([(layer.name, layer) for layer in model.layers])
loss = K.variable(0.)
for layer_name in layer_contributions:
    coeff = layer_contributions[layer_name]
    activation = layer_dict[layer_name].output
    scaling = K.prod(K.cast(K.shape(activation), 'float32'))
    loss = loss + coeff * K.sum(K.square(activation[:, 2:-2, 2:-2, :])) / scaling

dream = model.input

with tf.GradientTape() as gtape:
    grads = gtape.gradient(loss, dream)[0]

grads /= K.maximum(K.mean(K.abs(grads)), 1e-7)
print(grads)
