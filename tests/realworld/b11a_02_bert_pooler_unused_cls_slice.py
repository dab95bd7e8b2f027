"""A user fine-tuning a pretrained TF BERT (transformers' TFBertModel) for
classification on TPU saw, on every step, "WARNING:tensorflow:Gradients do
not exist for variables ['tf_bert_model_1/bert/pooler/dense/kernel:0',
'tf_bert_model_1/bert/pooler/dense/bias:0']". The classifier head was fed
the [CLS] vector sliced from the sequence output (`outputs[0][:, 0, :]`),
so the model's own pooler (a Dense+tanh applied to that same token, returned
as `outputs[1]`) is computed but never reaches the loss: its two variables
are the only ones without a gradient. Shrunk to a two-layer toy BERT with the
same sub-layer names and random token ids. Fix: feed the head with the
pooled output (`outputs[1]`), or drop/freeze the pooler if the CLS slice is
intended.
---
source: https://github.com/tensorflow/tensorflow/issues/37501
framework: both
outcome: warning
cause: unused_variable
static: false
line: 72
variables: [pooler_dense/kernel, pooler_dense/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow import keras

VOCAB, SEQ, HIDDEN = 50, 8, 16


class TFBertLayer(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8, name="attention")
        self.attention_norm = keras.layers.LayerNormalization(name="attention_output_norm")
        self.intermediate = keras.layers.Dense(32, activation="gelu", name="intermediate")
        self.output_dense = keras.layers.Dense(HIDDEN, name="output_dense")
        self.output_norm = keras.layers.LayerNormalization(name="output_norm")

    def call(self, x):
        x = self.attention_norm(x + self.attention(x, x))
        return self.output_norm(x + self.output_dense(self.intermediate(x)))


class TFBertMainLayer(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embeddings = keras.layers.Embedding(VOCAB, HIDDEN, name="embeddings")
        self.encoder = [TFBertLayer(name=f"layer_{i}") for i in range(2)]
        self.pooler = keras.Sequential([keras.layers.Dense(HIDDEN, activation="tanh", name="pooler_dense")],
                                       name="pooler")

    def call(self, input_ids):
        x = self.embeddings(input_ids)
        for layer in self.encoder:
            x = layer(x)
        pooled_output = self.pooler(x[:, 0])
        return x, pooled_output


class TFBertModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bert = TFBertMainLayer(name="bert")

    def call(self, input_ids):
        return self.bert(input_ids)


bert = TFBertModel(name="tf_bert_model")
input_ids = keras.Input(shape=(SEQ,), dtype="int32", name="input_ids")
outputs = bert(input_ids)
cls = outputs[0][:, 0, :]
x = keras.layers.Dropout(0.1)(cls)
preds = keras.layers.Dense(1, activation="sigmoid", name="classifier")(x)
model = keras.Model(input_ids, preds)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])

X = np.random.randint(0, VOCAB, (32, SEQ)).astype("int32")
Y = np.random.randint(0, 2, (32, 1)).astype("float32")
before = bert.bert.pooler.get_weights()[0].copy()
model.fit(X, Y, epochs=1, batch_size=16, verbose=0)
print("pooler changed:", not np.allclose(before, bert.bert.pooler.get_weights()[0]))
