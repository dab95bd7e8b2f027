"""A user fine-tuned TFBertModel for 9-class classification: they took
`Bert_model(ip1, attention_mask=ip2, token_type_ids=ip3)[0][:, 1:-1, :]`
(the sequence output, dropping [CLS]/[SEP]), fed it to a Bidirectional LSTM
and Dense/Dropout/softmax-Dense layers, and trained with `model.fit`. Every step printed
"Gradients do not exist for variables ['tf_bert_model/bert/pooler/dense/kernel:0',
'tf_bert_model/bert/pooler/dense/bias:0']". Cause (confirmed by running):
BERT's pooler is a Dense layer applied to the [CLS] vector that only produces
output [1] (pooled_output); the user's loss only depends on output [0], so the
pooler's weights are unused and get no gradient; everything else trains, and
the warning is harmless. Fix: ignore it, or freeze/remove the pooler (e.g.
`bert.pooler.trainable = False`) or use output [1] somewhere. The tiny BERT
below mirrors the HF layer structure (embeddings, encoder, pooler) on CPU.
---
source: https://github.com/huggingface/transformers/issues/5427
framework: both
outcome: warning
cause: unused_variable
line: [67, 81]
variables: [pooler/kernel, pooler/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Bidirectional, LSTM, Dense, Dropout
from tensorflow.keras.models import Model
tf.keras.utils.set_random_seed(0)

VOCAB, HIDDEN, MAX_LEN = 100, 32, 10


class TFBertEmbeddings(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.word_embeddings = tf.keras.layers.Embedding(VOCAB, HIDDEN, name="word_embeddings")
        self.position_embeddings = tf.keras.layers.Embedding(MAX_LEN + 2, HIDDEN, name="position_embeddings")
        self.token_type_embeddings = tf.keras.layers.Embedding(2, HIDDEN, name="token_type_embeddings")
        self.LayerNorm = tf.keras.layers.LayerNormalization(name="LayerNorm")

    def call(self, input_ids, token_type_ids):
        positions = tf.range(tf.shape(input_ids)[1])[None, :]
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) \
            + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(x)


class TFBertLayer(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.attention = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=16, name="attention")
        self.attention_norm = tf.keras.layers.LayerNormalization(name="attention_LayerNorm")
        self.intermediate = Dense(64, activation="gelu", name="intermediate")
        self.out = Dense(HIDDEN, name="output_dense")
        self.output_norm = tf.keras.layers.LayerNormalization(name="output_LayerNorm")

    def call(self, hidden, attention_mask):
        mask = tf.cast(attention_mask[:, None, :], tf.bool)
        h = self.attention_norm(hidden + self.attention(hidden, hidden, attention_mask=mask))
        return self.output_norm(h + self.out(self.intermediate(h)))


class TFBertModel(tf.keras.Model):
    """Returns (sequence_output, pooled_output) like transformers' TFBertModel."""
    def __init__(self, **kwargs):
        super().__init__(name="tf_bert_model", **kwargs)
        self.embeddings = TFBertEmbeddings(name="embeddings")
        self.encoder = TFBertLayer(name="encoder")
        self.pooler = Dense(HIDDEN, activation="tanh", name="pooler")

    def call(self, input_ids, attention_mask=None, token_type_ids=None):
        x = self.embeddings(input_ids, token_type_ids)
        sequence_output = self.encoder(x, attention_mask)
        pooled_output = self.pooler(sequence_output[:, 0])
        return sequence_output, pooled_output


max_length = 8
ip1 = Input(shape=(max_length + 2,), dtype="int32")
ip2 = Input(shape=(max_length + 2,), dtype="int32")
ip3 = Input(shape=(max_length + 2,), dtype="int32")
Bert_model = TFBertModel()
ip = Bert_model(ip1, attention_mask=ip2, token_type_ids=ip3)[0][:, 1:-1, :]
out = Bidirectional(LSTM(units=16), name="bilstm")(ip)
out = Dense(24, activation='relu', name="head_dense")(out)
out = Dropout(0.2)(out)
out = Dense(units=9, activation="softmax", name="tag_out")(out)
model = Model([ip1, ip2, ip3], out)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")

n = 16
ids = np.random.randint(1, VOCAB, (n, max_length + 2)).astype("int32")
att = np.ones_like(ids)
tok = np.zeros_like(ids)
tags = np.random.randint(0, 9, (n,)).astype("int32")

pooler_before = Bert_model.pooler.kernel.numpy().copy()
emb_before = Bert_model.embeddings.word_embeddings.embeddings.numpy().copy()
model.fit([ids, att, tok], tags, epochs=2, batch_size=8, verbose=0)
print("pooler kernel changed:   ", not np.allclose(pooler_before, Bert_model.pooler.kernel.numpy()))
print("word embeddings changed: ", not np.allclose(emb_before, Bert_model.embeddings.word_embeddings.embeddings.numpy()))
