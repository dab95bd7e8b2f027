"""A segmentation-style training script (modelled on NASA DELTA's config-driven
trainer) builds a model whose pretrained "encoder" sub-model is frozen at the
start, and registers a `SetTrainable` callback that flips the encoder's
`trainable` flag to True at the start of a later epoch so that the whole network
is fine-tuned. Training runs without errors, the logged loss keeps moving (the
head still trains), but the encoder weights never change after the callback
fires. The cause: `fit()` builds and traces its train step once, and the list of
trainable variables is captured at that moment; flipping `trainable` in the middle
of `fit()` (without compiling again) does not change what the traced step
updates, so the encoder never receives gradients. The fix is to stop training,
re-`compile()` after changing `trainable`, and call `fit()` again for the
remaining epochs (what DELTA's fix does).

---
source: https://github.com/nasa/delta/issues/58
framework: both
outcome: trains_silently
cause: frozen_model
line: [40, 70]
variables: [conv2d]
also: [wrong_sources]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras


class SetTrainable(keras.callbacks.Callback):
    def __init__(self, layer_name, epoch, make_trainable=True):
        super().__init__()
        self._layer_name = layer_name
        self._epoch = epoch
        self._make_trainable = make_trainable

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self._epoch:
            self.model.get_layer(self._layer_name).trainable = self._make_trainable
            print(f"epoch {epoch}: set {self._layer_name}.trainable = {self._make_trainable}")


def build_encoder():
    inp = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
    x = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(x)
    return keras.Model(inp, x, name="encoder")


def build_model():
    encoder = build_encoder()
    encoder.trainable = False  # "pretrained" part frozen for the first epochs
    inp = keras.Input((16, 16, 3))
    x = encoder(inp)
    out = keras.layers.Conv2D(2, 1, activation="softmax", name="head")(x)
    return keras.Model(inp, out)


images = np.random.rand(32, 16, 16, 3).astype("float32")
labels = np.random.randint(0, 2, (32, 16, 16)).astype("int32")

model = build_model()
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
encoder_kernel = model.get_layer("encoder").layers[1].kernel
head_kernel = model.get_layer("head").kernel
before_enc = np.array(encoder_kernel.numpy())
before_head = np.array(head_kernel.numpy())

history = model.fit(images, labels, epochs=4, batch_size=8, verbose=0,
                    callbacks=[SetTrainable("encoder", epoch=1)])
print("losses:", [round(v, 4) for v in history.history["loss"]])
print("encoder listed as trainable now:", model.get_layer("encoder").trainable,
      "| trainable variables:", len(model.trainable_variables))
print("encoder kernel max change:", float(np.abs(encoder_kernel.numpy() - before_enc).max()))
print("head kernel max change:   ", float(np.abs(head_kernel.numpy() - before_head).max()))
