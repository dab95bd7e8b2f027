"""QARAC wraps a RoBERTa encoder (TFRobertaModel) in its own QaracEncoderModel,
which takes the encoder's last hidden states and reduces them with a
GlobalAttentionPoolingHead; a trainer model combines the encoder and is fitted
with `compile`/`fit`. Local testing printed "Gradients do not exist for
variables ['tf_roberta_model/roberta/pooler/dense/kernel:0', ...bias:0, ...]".
The author concluded that Keras Models cannot pass gradients between nested
models and ported the project to PyTorch. The real reason for the missing
pooler gradients: the transformer's pooler (dense + tanh on the first token) is
computed and returned as `pooler_output`, but QARAC only uses
`last_hidden_state`, so the pooler weights never reach the loss (the rest of the
encoder trains fine). Fix: ignore/freeze the pooler (`add_pooling_layer=False`
in transformers). The transformer is shrunk to a tiny stand-in layer with the
same two outputs; the warning's other entries (the head's "local projection")
are not reproduced here.
---
source: https://playfultechnology.co.uk/qarac-porting-to-pytorch.html
framework: both
outcome: warning
cause: unused_variable
static: false
line: [41, 45, 69]
variables: [pooler]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

VOCAB, SEQ, DIM = 50, 6, 8


class TinyRoberta(keras.layers.Layer):
    """Stand-in for TFRobertaModel: returns (last_hidden_state, pooler_output)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embeddings = keras.layers.Embedding(VOCAB, DIM, name="embeddings")
        self.encoder = keras.layers.Dense(DIM, activation="gelu", name="encoder")
        self.pooler = keras.layers.Dense(DIM, activation="tanh", name="pooler")

    def call(self, input_ids):
        last_hidden_state = self.encoder(self.embeddings(input_ids))
        pooler_output = self.pooler(last_hidden_state[:, 0])
        return last_hidden_state, pooler_output


class GlobalAttentionPoolingHead(keras.layers.Layer):
    def build(self, input_shape):
        width = input_shape[-1]
        self.global_projection = self.add_weight(
            shape=(width, width), initializer="random_normal", name="global_projection")

    def call(self, X):
        gp = tf.linalg.l2_normalize(
            tf.tensordot(tf.reduce_mean(X, axis=1), self.global_projection, axes=1), axis=-1)
        attention = tf.nn.softmax(tf.einsum("ijk,ik->ij", X, gp), axis=-1)
        return tf.einsum("ij,ijk->ik", attention, X)


class QaracEncoderModel(keras.Model):
    def __init__(self, base_model, **kwargs):
        super().__init__(**kwargs)
        self.base_model = base_model
        self.head = GlobalAttentionPoolingHead()

    def call(self, input_ids, training=None):
        last_hidden_state, _pooler_output = self.base_model(input_ids)
        return self.head(last_hidden_state)


class QaracTrainerModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.question_encoder = QaracEncoderModel(TinyRoberta(name="roberta"))
        self.out = keras.layers.Dense(1, name="score")

    def call(self, input_ids, training=None):
        return self.out(self.question_encoder(input_ids))


ids = np.random.randint(0, VOCAB, size=(32, SEQ))
target = np.random.rand(32, 1).astype("float32")

trainer = QaracTrainerModel()
trainer.compile(optimizer="adam", loss="mse")
trainer.fit(ids, target, batch_size=8, epochs=2, verbose=2)
