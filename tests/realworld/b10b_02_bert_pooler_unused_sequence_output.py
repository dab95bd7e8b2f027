"""The user fine-tunes TFBertModel inside a Keras model for IMDB sentiment
(a Colab notebook linked from the issue) and calls `model.fit`. Every step
TensorFlow warns "Gradients do not exist for variables
['tf_bert_model/bert/pooler/dense/kernel:0', '.../pooler/dense/bias:0'] when
minimizing the loss", and the user suspects an op in TF BERT that blocks
gradients. Per the thread, the BERT main layer always builds its pooler (a
Dense on the [CLS] token), but a head that reads only the sequence output
(`bert(...)[0]`) never uses it, so the pooler takes no part in the loss; the
rest of BERT trains. Fix: use the pooled output (`[1]`) if wanted, otherwise
the warning is harmless (or freeze the pooler). The Hugging Face model is
replaced by a tiny BERT-like layer with the same structure (embeddings, one
self-attention block, pooler) so no weights are downloaded; the classifier
head (average pooling of the sequence output + Dense) is reconstructed, as the
notebook itself is not in the thread text.
---
source: https://github.com/huggingface/transformers/issues/2256
framework: both
outcome: warning
cause: unused_variable
static: false
line: [45, 51, 57]
variables: [bert/pooler_dense]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

VOCAB, MAXLEN, HIDDEN = 200, 16, 32


class TinyBertMainLayer(keras.layers.Layer):
    """Stand-in for TFBertMainLayer: returns (sequence_output, pooled_output)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.word_embeddings = keras.layers.Embedding(VOCAB, HIDDEN, name="word_embeddings")
        self.attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=HIDDEN // 2, name="attention")
        self.attn_norm = keras.layers.LayerNormalization(name="attention_LayerNorm")
        self.intermediate = keras.layers.Dense(HIDDEN * 2, activation="gelu", name="intermediate")
        self.output_dense = keras.layers.Dense(HIDDEN, name="output_dense")
        self.out_norm = keras.layers.LayerNormalization(name="output_LayerNorm")
        self.pooler = keras.layers.Dense(HIDDEN, activation="tanh", name="pooler_dense")

    def call(self, input_ids):
        h = self.word_embeddings(input_ids)
        h = self.attn_norm(h + self.attention(h, h))
        h = self.out_norm(h + self.output_dense(self.intermediate(h)))
        pooled = self.pooler(h[:, 0])
        return h, pooled


inp = keras.Input(shape=(MAXLEN,), dtype="int32", name="input_ids")
bert = TinyBertMainLayer(name="bert")
sequence_output = bert(inp)[0]
x = keras.layers.GlobalAveragePooling1D()(sequence_output)
x = keras.layers.Dropout(0.1)(x)
out = keras.layers.Dense(1, activation="sigmoid", name="classifier")(x)
model = keras.Model(inp, out)

model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
              metrics=["accuracy"])

x_train = np.random.randint(1, VOCAB, size=(64, MAXLEN)).astype("int32")
y_train = np.random.randint(0, 2, size=(64, 1)).astype("float32")
print([getattr(v, "path", v.name) for v in model.trainable_variables if "pooler" in getattr(v, "path", v.name)])
model.fit(x_train, y_train, batch_size=16, epochs=2, verbose=2)
