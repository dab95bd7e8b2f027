"""A user built a binary text classifier on top of a Gemma backbone from
KerasHub: a custom `GemmaEncoder(keras.Layer)` holds the preprocessor, the
whole backbone and a pooling layer, and its `call` embeds the token ids with
`self.backbone.token_embedding(...)` and average-pools them. Fitting prints
Keras 3's "UserWarning: Gradients do not exist for variables
['decoder_block_0/pre_attention_norm/scale', ... 'decoder_block_N/...']": the
backbone, with all its decoder blocks, is tracked as a trainable sublayer, but
only its embedding table is read in the forward pass, so every transformer
block is unused (only the embedding and the head train). Shrunk here to a
two-block toy backbone with random token ids. Fix: run the backbone
(`self.backbone({...})["sequence_output"]`/hidden states) if contextual
embeddings were meant, or freeze / leave out the decoder blocks.
---
source: https://github.com/keras-team/keras-hub/issues/2102
framework: both
outcome: warning
cause: unused_variable
static: false
line: 71
variables: [decoder_block_0/pre_attention_norm, decoder_block_0/attention, decoder_block_0/ffw_linear, decoder_block_1/attention, final_normalization]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow import keras

VOCAB, SEQ, DIM = 50, 12, 16


class DecoderBlock(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.pre_attention_norm = keras.layers.LayerNormalization(name="pre_attention_norm")
        self.attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8, name="attention")
        self.pre_ffw_norm = keras.layers.LayerNormalization(name="pre_ffw_norm")
        self.ffw_gating = keras.layers.Dense(32, activation="gelu", name="ffw_gating")
        self.ffw_linear = keras.layers.Dense(DIM, name="ffw_linear")

    def call(self, x):
        h = self.pre_attention_norm(x)
        x = x + self.attention(h, h)
        h = self.pre_ffw_norm(x)
        return x + self.ffw_linear(self.ffw_gating(h))


class TinyGemmaBackbone(keras.Model):
    """Stands in for keras_hub.models.GemmaBackbone.from_preset(...)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.token_embedding = keras.layers.Embedding(VOCAB, DIM, name="token_embedding")
        self.transformer_layers = [DecoderBlock(name=f"decoder_block_{i}") for i in range(2)]
        self.layer_norm = keras.layers.LayerNormalization(name="final_normalization")

    def call(self, inputs):
        x = self.token_embedding(inputs["token_ids"])
        for block in self.transformer_layers:
            x = block(x)
        return {"sequence_output": self.layer_norm(x)}


class GemmaEncoder(keras.layers.Layer):
    def __init__(self, backbone, pooling_layer, **kwargs):
        super().__init__(**kwargs)
        self.backbone = backbone
        self.pooling_layer = pooling_layer

    def call(self, inputs):
        token_ids = inputs["token_ids"]
        embedded = self.backbone.token_embedding(token_ids)
        return self.pooling_layer(embedded)


backbone = TinyGemmaBackbone(name="gemma_backbone")
backbone({"token_ids": np.zeros((1, SEQ), "int32")})       # build, like from_preset
encoder = GemmaEncoder(backbone, keras.layers.GlobalAveragePooling1D(name="gemma_encoder_pool"),
                       name="gemma_encoder")

token_ids = keras.Input(shape=(SEQ,), dtype="int32", name="token_ids")
x = encoder({"token_ids": token_ids})
x = keras.layers.Dense(16, activation="relu", name="head_dense")(x)
outputs = keras.layers.Dense(1, activation="sigmoid", name="head_out")(x)
model = keras.Model(token_ids, outputs)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")

X = np.random.randint(0, VOCAB, (64, SEQ)).astype("int32")
Y = np.random.randint(0, 2, (64, 1)).astype("float32")
q_before = backbone.transformer_layers[0].ffw_linear.get_weights()[0].copy()
model.fit(X, Y, epochs=1, batch_size=16, verbose=0)
print("decoder_block_0 changed:",
      not np.allclose(q_before, backbone.transformer_layers[0].ffw_linear.get_weights()[0]))
