"""A user writes a custom Keras layer "very similar to a dense layer" that
normalises a mel-spectrogram input with trainable per-mel-bin `means` and
`stds` (initialised from dataset statistics), followed by a small classifier.
In `build` the layer creates the two weights and then immediately replaces
the attributes with `expand_dims` of them (shape (n_mels,) -> (n_mels, 1)) so
that they broadcast over the time axis in `call`. In 2016 Keras this put
tensors into `trainable_weights` and fit failed with "'TensorVariable' object
has no attribute 'get_value'"; fchollet answered that all weights must be
variables, "Tensors are not trainable": create the variables first and apply
operations to them (expand_dims) later, in `call`. Reproduced with today's
API (`add_weight` then overwriting the attribute in `build`): the
expand_dims runs once, eagerly, when the layer is built, outside any
GradientTape, so `call` only ever reads a constant snapshot. Keras 3 keeps the
variables in `trainable_variables` and warns "Gradients do not exist for
variables ['mel_norm/means', 'mel_norm/stds']"; the classifier trains, the
normalisation never does. (Under tf-keras the overwrite silently untracks the
two variables: they vanish from `trainable_weights` and nothing warns.)
Fix: keep `self.means`/`self.stds` as the variables and do the expand_dims in
`call`.
---
source: https://github.com/keras-team/keras/issues/4401
framework: keras3
outcome: warning
cause: outside_tape
line: [53, 54]
also: [untracked_variable]
variables: [mel_norm/means, mel_norm/stds]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)

N_MELS, N_FRAMES, N_CLASSES = 16, 20, 3


class MelNormalization(layers.Layer):
    def __init__(self, means, stds, **kwargs):
        super().__init__(**kwargs)
        self.init_means = np.asarray(means, dtype="float32")
        self.init_stds = np.asarray(stds, dtype="float32")

    def build(self, input_shape):
        self.means = self.add_weight(
            name="means", shape=(N_MELS,),
            initializer=keras.initializers.Constant(self.init_means), trainable=True)
        self.stds = self.add_weight(
            name="stds", shape=(N_MELS,),
            initializer=keras.initializers.Constant(self.init_stds), trainable=True)
        self.means = tf.expand_dims(self.means, 1)  # (n_mels, 1)
        self.stds = tf.expand_dims(self.stds, 1)

    def call(self, x):
        # x: (batch, n_mels, n_frames)
        return (x - self.means) / self.stds


x_train = np.random.rand(64, N_MELS, N_FRAMES).astype("float32") * 3.0 + 1.0
y_train = np.random.randint(0, N_CLASSES, size=(64,))
means = x_train.mean(axis=(0, 2))
stds = x_train.std(axis=(0, 2))

inp = keras.Input(shape=(N_MELS, N_FRAMES))
h = MelNormalization(means, stds, name="mel_norm")(inp)
h = layers.Flatten()(h)
h = layers.Dense(16, activation="relu", name="hidden")(h)
out = layers.Dense(N_CLASSES, activation="softmax", name="classifier")(h)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

norm = model.get_layer("mel_norm")
before = [w.numpy().copy() for w in norm.weights]
model.fit(x_train, y_train, epochs=3, batch_size=16, verbose=0)
after = [w.numpy() for w in norm.weights]
print("mel_norm weights:", [getattr(w, "path", w.name) for w in norm.weights])
print("mel_norm weights changed:", [not np.allclose(b, a) for b, a in zip(before, after)])
