"""Following the TF-GNN guide, a user splits the pipeline into a preprocessing
model, applied to the dataset with `dataset.map(...)`, and a main model trained
with `model.fit`. Their preprocessing model, however, holds learnable parameters
(an Embedding layer turning node ids into features). Training runs and the loss
moves, but the embedding table never changes. Root cause: the preprocessing model
runs inside the tf.data map function, i.e. outside the training step's
GradientTape; the main model receives its output as constant input features, and
the embedding weights are not among the variables `fit` differentiates. Fix (per
the question and TF-GNN's guidance): keep only stateless feature preparation in
the map function and move layers with trainable weights into the trained model.
(Shrunk: ids of 3 neighbours averaged instead of a GraphTensor.)
---
source: https://github.com/tensorflow/gnn/issues/646
framework: both
outcome: trains_silently
cause: outside_tape
line: 37
variables: [node_embedding/embeddings]
xfail: "a whole Keras model (its Embedding trainable) is applied in Dataset.map, and fit trains another model: its weights are never asked for. gradtrace records reads in tf.data functions only to explain a variable that a gradient was asked for; warning on any trainable weight used in a pipeline would also flag a pretrained feature extractor left trainable=True, so nothing is reported"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)
vocab = 20

pre_in = keras.Input(shape=(3,), dtype="int32", name="ids")
emb = keras.layers.Embedding(vocab, 4, name="node_embedding")(pre_in)
pre_out = keras.layers.GlobalAveragePooling1D(name="pool")(emb)
preprocessing_model = keras.Model(pre_in, pre_out, name="preprocessing_model")

ids = np.random.randint(0, vocab, size=(64, 3)).astype("int32")
labels = np.random.randint(0, 2, size=(64, 1)).astype("float32")
ds = tf.data.Dataset.from_tensor_slices((ids, labels)).batch(16)
ds = ds.map(lambda x, y: (preprocessing_model(x), y))

main_in = keras.Input(shape=(4,), name="features")
h = keras.layers.Dense(8, activation="relu", name="hidden")(main_in)
logits = keras.layers.Dense(1, name="logits")(h)
model = keras.Model(main_in, logits, name="main_model")
model.compile(optimizer=keras.optimizers.Adam(0.05),
              loss=keras.losses.BinaryCrossentropy(from_logits=True))

before = preprocessing_model.get_layer("node_embedding").get_weights()[0].copy()
hist = model.fit(ds, epochs=3, verbose=0)
after = preprocessing_model.get_layer("node_embedding").get_weights()[0]
print("loss:", [round(v, 4) for v in hist.history["loss"]])
print("embedding changed:", not np.allclose(before, after))
