"""Token-classification model built on a (tiny, randomly initialised) TF BERT main layer: the
user takes the sequence output `Bert_model(...)[0][:, 1:-1, :]`, feeds it to a BiLSTM and a
softmax head, and trains with fit. The BERT layer also computes the pooled output (a Dense with
tanh on the [CLS] token), but nothing downstream uses it, so the pooler's kernel and bias get no
gradient: Keras warns "Gradients do not exist for variables [... pooler ...]" at the first step
and those two variables stay bit-identical while the rest of BERT and the head train.
---
source: https://github.com/huggingface/transformers/issues/5427
framework: both
outcome: warning
cause: unused_variable
static: false
line: [68, 46]
variables: [pooler/kernel, pooler/bias]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Input, Bidirectional, LSTM, Dense, Dropout
from tensorflow.keras.models import Model

vocab_size, hidden, max_length = 50, 16, 10


class TFBertMainLayer(keras.layers.Layer):
    """Embeddings, one self-attention encoder block and the [CLS] pooler."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.word_embeddings = keras.layers.Embedding(vocab_size, hidden, name='word_embeddings')
        self.token_type_embeddings = keras.layers.Embedding(2, hidden, name='token_type_embeddings')
        self.attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8, name='attention')
        self.attention_norm = keras.layers.LayerNormalization(name='attention_norm')
        self.intermediate = keras.layers.Dense(32, activation='gelu', name='intermediate')
        self.output_dense = keras.layers.Dense(hidden, name='output_dense')
        self.output_norm = keras.layers.LayerNormalization(name='output_norm')
        self.pooler = keras.layers.Dense(hidden, activation='tanh', name='pooler')

    def call(self, input_ids, attention_mask=None, token_type_ids=None):
        h = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        mask = tf.cast(attention_mask[:, tf.newaxis, :], tf.bool)
        h = self.attention_norm(h + self.attention(h, h, attention_mask=mask))
        h = self.output_norm(h + self.output_dense(self.intermediate(h)))
        pooled_output = self.pooler(h[:, 0])
        return h, pooled_output


class TFBertModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bert = TFBertMainLayer(name='bert')

    def call(self, input_ids, attention_mask=None, token_type_ids=None):
        return self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)

    @classmethod
    def from_pretrained(cls, name):
        return cls(name='tf_bert_model')


tf.keras.utils.set_random_seed(0)
ip1 = Input(shape=(max_length + 2,), dtype="int32")
ip2 = Input(shape=(max_length + 2,), dtype="int32")
ip3 = Input(shape=(max_length + 2,), dtype="int32")
Bert_model = TFBertModel.from_pretrained('bert-base-uncased')
ip = Bert_model(ip1, attention_mask=ip2, token_type_ids=ip3)[0][:, 1:-1, :]
out = Bidirectional(LSTM(units=hidden))(ip)
out = Dense(24, activation='relu')(out)
out = Dropout(0.2)(out)
out = Dense(units=9, activation="softmax")(out)
model = Model([ip1, ip2, ip3], out)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])

n = 16
ids = np.random.randint(1, vocab_size, size=(n, max_length + 2)).astype('int32')
masks = np.ones((n, max_length + 2), dtype='int32')
types = np.zeros((n, max_length + 2), dtype='int32')
labels = np.random.randint(0, 9, size=(n,))

pooler = Bert_model.bert.pooler
before = [w.copy() for w in pooler.get_weights()]
emb_before = Bert_model.bert.word_embeddings.get_weights()[0].copy()
model.fit([ids, masks, types], labels, batch_size=8, epochs=1, verbose=0)
print('pooler unchanged:', all(np.array_equal(a, b) for a, b in zip(before, pooler.get_weights())))
print('word embeddings changed:', not np.array_equal(emb_before, Bert_model.bert.word_embeddings.get_weights()[0]))
