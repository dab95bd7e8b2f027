"""A SHAP maintainer needed gradients of a Keras model's output with respect to its
inputs (for DeepExplainer / GradientExplainer attributions). With a purely dense model
tape.gradient(output, inputs) works, but as soon as the model starts with a
tf.keras.layers.Embedding the gradient w.r.t. the (watched, float) token-id input is
None. The Embedding layer casts its inputs to an integer dtype before the lookup, and
nothing flows back through an integer cast / gather index, so there is no gradient
with respect to token ids at all. The workaround is to attribute to the embedding
output (run the embedding outside, watch its float output, and feed the rest of the
network from there), which is what attribution libraries do for text models.
---
source: https://github.com/tensorflow/tensorflow/issues/75351
framework: both
outcome: gradient_none
cause: integer_cast
also: [nondifferentiable_op]
line: [35, 46, 47]
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, models
tf.keras.utils.set_random_seed(0)


def build_dense_model():
    inputs = layers.Input(shape=(10,))
    x = layers.Dense(16, activation="relu", name="hidden")(inputs)
    outputs = layers.Dense(1, name="out")(x)
    return models.Model(inputs, outputs)


def build_embedding_model():
    inputs = layers.Input(shape=(10,))
    x = layers.Embedding(1000, 8, name="emb")(inputs)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu", name="hidden_e")(x)
    outputs = layers.Dense(1, name="out_e")(x)
    return models.Model(inputs, outputs)


def input_gradients(model, x):
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = model(x)
    return tape.gradient(y, x)


data = np.random.randint(1000, size=(4, 10)).astype("float32")

dense_model = build_dense_model()
emb_model = build_embedding_model()
emb_model.compile("rmsprop", "mse")
emb_model.fit(data, np.random.rand(4, 1), epochs=1, verbose=0)

g_dense = input_gradients(dense_model, data)
print("dense model: gradient wrt inputs is None?", g_dense is None)
g_emb = input_gradients(emb_model, data)
print("embedding model: gradient wrt inputs is None?", g_emb is None)
