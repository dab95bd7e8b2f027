"""Transfer learning with a schedule: the user loads a pretrained CNN, freezes the front layers
(`layer.trainable = False`), compiles, and writes a Keras Callback that sets `trainable = True` on
those layers after a few epochs of `model.fit`, so that the whole network is fine-tuned from then
on. The report found that the unfrozen layers still do not train. No error or warning appears,
and `model.trainable_weights` even lists the unfrozen kernels once the callback has run. But
`fit` built (traced) its train step with the trainable-variable list it had at the start, and that
compiled step is reused for every later epoch. The front layers get no gradient and no update:
their weights are bit-identical at the end. Fix: stop `fit` after the warm-up epochs, set
`trainable = True`, `compile()` again, then call `fit` again with `initial_epoch=`.
(The Colab code of the report is not visible. The model here follows the report's description.)
---
source: https://github.com/tensorflow/tensorflow/issues/47906
framework: both
outcome: trains_silently
cause: frozen_model
line: [55, 63]
variables: [conv_1, conv_2]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)

x_train = np.random.rand(64, 16, 16, 3).astype("float32")
y_train = np.random.randint(0, 4, size=(64,))


def load_pretrain_model():
    # stands in for the pretrained network (no download here): a small CNN trained briefly
    model = keras.Sequential([
        layers.Input(shape=(16, 16, 3)),
        layers.Conv2D(8, 3, activation="relu", name="conv_1"),
        layers.Conv2D(8, 3, activation="relu", name="conv_2"),
        layers.GlobalAveragePooling2D(name="gap"),
        layers.Dense(16, activation="relu", name="fc"),
        layers.Dense(4, activation="softmax", name="predictions"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=1, verbose=0)
    return model


class UnfreezeCallback(keras.callbacks.Callback):
    def __init__(self, unfreeze_epoch, layer_names):
        super().__init__()
        self.unfreeze_epoch = unfreeze_epoch
        self.layer_names = layer_names

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.unfreeze_epoch:
            for name in self.layer_names:
                self.model.get_layer(name).trainable = True
            print("epoch", epoch, "unfreeze", self.layer_names,
                  "-> trainable weights:", len(self.model.trainable_weights))


model = load_pretrain_model()
front = ["conv_1", "conv_2"]
for name in front:
    model.get_layer(name).trainable = False
model.compile(optimizer=keras.optimizers.Adam(1e-3),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
print("trainable at compile:", [getattr(v, "path", v.name) for v in model.trainable_variables])

before = {name: [w.copy() for w in model.get_layer(name).get_weights()] for name in front + ["fc"]}
model.fit(x_train, y_train, epochs=4, batch_size=16, verbose=0,
          callbacks=[UnfreezeCallback(unfreeze_epoch=2, layer_names=front)])
for name, ws in before.items():
    changed = any(not np.array_equal(a, b) for a, b in zip(ws, model.get_layer(name).get_weights()))
    print(name, "weights changed during fit:", changed)
