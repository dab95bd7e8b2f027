"""Fine-tuning script of an NSFW image classifier (Inception v3 transfer learning): to "unlock a
few layers deep", it first sets `model.trainable = False` on the whole model and then flips
`layer.trainable = True` for `conv2d_56` and every later layer. A Keras model whose own
`trainable` flag is False reports no trainable weights whatever its layers say, so the model is
compiled and fitted with an empty trainable set: the loss is identical in every epoch and every
weight is bit-identical after training (the user saw the fine-tuned model behave exactly like
the pre-trained one). tf-keras is silent about it; Keras 3 only adds a UserWarning "The model
does not have any trainable weights".
---
source: https://github.com/GantMan/nsfw_model/issues/33
framework: both
outcome: trains_silently
cause: frozen_model
line: 45
variables: [conv2d_56, conv2d_57, dense]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.optimizers import SGD
from tensorflow.keras.models import Model

height = 32
width = height


def load_model():
    # stands in for load_model("nsfw.299x299.h5"): an Inception-style base plus a new head
    inp = keras.Input((height, width, 3))
    x = keras.layers.Conv2D(8, 3, strides=2, activation='relu', name='conv2d_54')(inp)
    x = keras.layers.Conv2D(8, 3, activation='relu', name='conv2d_55')(x)
    x = keras.layers.Conv2D(16, 3, activation='relu', name='conv2d_56')(x)
    x = keras.layers.Conv2D(16, 3, activation='relu', name='conv2d_57')(x)
    x = keras.layers.GlobalAveragePooling2D(name='avg_pool')(x)
    out = keras.layers.Dense(5, activation='softmax', name='dense')(x)
    return Model(inp, out)


tf.keras.utils.set_random_seed(0)
model = load_model()

# Unlock a few layers deep in Inception v3
model.trainable = False
set_trainable = False
for layer in model.layers:
    if layer.name == 'conv2d_56':
        set_trainable = True
    if set_trainable:
        layer.trainable = True
    else:
        layer.trainable = False

print('layers trainable:', [(l.name, l.trainable) for l in model.layers])
print('trainable weights:', len(model.trainable_weights))

opt = SGD(momentum=.9)
model.compile(
    loss='categorical_crossentropy',
    optimizer=opt,
    metrics=['accuracy']
)

x_train = np.random.rand(32, height, width, 3).astype('float32')
y_train = keras.utils.to_categorical(np.random.randint(0, 5, 32), 5)
before = [w.copy() for w in model.get_weights()]
history = model.fit(x_train, y_train, epochs=2, batch_size=16, shuffle=True, verbose=0)
print('loss per epoch:', history.history['loss'])
print('weights unchanged:', all(np.array_equal(a, b) for a, b in zip(before, model.get_weights())))
