"""Fine-tuning VGG16: the user freezes the whole convolutional base with
`vgg.trainable = False`, then walks `vgg.layers` and sets `layer.trainable =
True` from 'block5_conv1' onward, expecting block 5 to be fine-tuned. But
`model.trainable = False` on the container wins: a layer's weights are only
trainable if every parent is trainable, so `vgg.summary()` still reports
"Trainable params: 0" and training changes nothing in block 5. The maintainer's
answer: set `vgg.trainable = True` first and then freeze the layers you do not
want (here the loop alone is enough). Shrunk with weights=None and 32x32
inputs; fitting the frozen base against random targets shows a flat loss and
block5 weights that never move.
---
source: https://github.com/keras-team/keras/issues/14600
framework: both
outcome: trains_silently
cause: frozen_model
line: 26
variables: [block5_conv1, block5_conv2, block5_conv3]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications import VGG16
tf.keras.utils.set_random_seed(0)

vgg = VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
vgg.trainable = False

set_trainable = False
for layer in vgg.layers:
    if layer.name == 'block5_conv1':
        set_trainable = True
    if set_trainable:
        layer.trainable = True
    else:
        layer.trainable = False
    print(layer.name, layer.trainable)

print("trainable weights in vgg:", len(vgg.trainable_weights))

x = np.random.rand(8, 32, 32, 3).astype("float32")
y = np.random.rand(8, 1, 1, 512).astype("float32")
before = vgg.get_layer("block5_conv3").get_weights()[0].copy()
vgg.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="mse")
hist = vgg.fit(x, y, epochs=3, batch_size=8, verbose=0)
print("losses:", hist.history["loss"])
print("block5_conv3 kernel changed:",
      not np.allclose(before, vgg.get_layer("block5_conv3").get_weights()[0]))
