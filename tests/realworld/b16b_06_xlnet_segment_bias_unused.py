"""A user fine-tuning an XLNet sequence classifier in TensorFlow with
`model.fit`, feeding only `input_ids` (and an attention mask), got a warning on
every step: "Gradients do not exist for variables [transformer/mask_emb,
layer_._0/rel_attn/r_s_bias, layer_._0/rel_attn/seg_embed, ...]". The model
trained otherwise. The cause is how XLNet's relative attention is written
(re-implemented here in miniature, split across an attention layer, a
transformer block and a model class): the segment-based attention term that
uses `r_s_bias` and `seg_embed` is only computed when segment ids
(`token_type_ids`) are given, and the `mask_emb` query embedding is only used
by the two-stream attention of pre-training (`target_mapping`). Fed with
`input_ids` alone, those weights take no part in the loss. The fix is to feed
`token_type_ids` when the task has segments, or to exclude (freeze) the unused
weights so the optimizer is not asked to update them; the warning itself is
harmless for single-segment fine-tuning.
---
source: https://github.com/huggingface/transformers/issues/9406
framework: both
outcome: warning
cause: unused_variable
line: [124]
variables: [mask_emb, r_s_bias, seg_embed]
xfail: the None that skips the segment branch comes from `token_type_ids` missing in the features given to fit (line 124); gradtrace shows the branch not taken (line 54) but does not follow the None back to the dict
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras

VOCAB, SEQ, D_MODEL, N_HEAD, D_HEAD, N_LAYERS = 50, 10, 16, 2, 8, 2


class RelativeAttention(keras.layers.Layer):
    def build(self, input_shape):
        init = keras.initializers.RandomNormal(stddev=0.02)
        shape = (D_MODEL, N_HEAD, D_HEAD)
        self.q = self.add_weight(name="q", shape=shape, initializer=init)
        self.k = self.add_weight(name="k", shape=shape, initializer=init)
        self.v = self.add_weight(name="v", shape=shape, initializer=init)
        self.o = self.add_weight(name="o", shape=shape, initializer=init)
        self.r_w_bias = self.add_weight(name="r_w_bias", shape=(N_HEAD, D_HEAD), initializer=init)
        self.r_s_bias = self.add_weight(name="r_s_bias", shape=(N_HEAD, D_HEAD), initializer=init)
        self.seg_embed = self.add_weight(name="seg_embed", shape=(2, N_HEAD, D_HEAD),
                                         initializer=init)
        super().build(input_shape)

    def call(self, h, seg_mat=None):
        q_head = tf.einsum("bid,dnh->binh", h, self.q)
        k_head = tf.einsum("bid,dnh->binh", h, self.k)
        v_head = tf.einsum("bid,dnh->binh", h, self.v)
        ac = tf.einsum("binh,bjnh->bnij", q_head + self.r_w_bias, k_head)
        # segment based attention score
        if seg_mat is None:
            ef = 0.0
        else:
            ef = tf.einsum("binh,snh->bins", q_head + self.r_s_bias, self.seg_embed)
            ef = tf.einsum("bijs,bins->bnij", seg_mat, ef)
        prob = tf.nn.softmax((ac + ef) / D_HEAD ** 0.5, axis=-1)
        attn = tf.einsum("bnij,bjnh->binh", prob, v_head)
        return h + tf.einsum("binh,dnh->bid", attn, self.o)


class TransformerBlock(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rel_attn = RelativeAttention(name="rel_attn")
        self.norm = keras.layers.LayerNormalization(name="layer_norm")
        self.ff = keras.layers.Dense(D_MODEL, activation="gelu", name="ff")

    def call(self, h, seg_mat=None):
        h = self.norm(self.rel_attn(h, seg_mat=seg_mat))
        return h + self.ff(h)


class MiniXLNetForSequenceClassification(keras.Model):
    def __init__(self, n_labels=2, **kwargs):
        super().__init__(**kwargs)
        self.word_embedding = keras.layers.Embedding(VOCAB, D_MODEL, name="word_embedding")
        self.blocks = [TransformerBlock(name=f"layer_._{i}") for i in range(N_LAYERS)]
        self.logits = keras.layers.Dense(n_labels, name="logits_proj")

    def build(self, input_shape):
        self.mask_emb = self.add_weight(name="mask_emb", shape=(1, 1, D_MODEL),
                                        initializer="random_normal")
        super().build(input_shape)

    @staticmethod
    def segment_matrix(token_type_ids):
        if token_type_ids is None:
            return None
        diff = tf.not_equal(token_type_ids[:, :, None], token_type_ids[:, None, :])
        return tf.one_hot(tf.cast(diff, tf.int32), 2)

    def call(self, inputs):
        input_ids = inputs["input_ids"]
        token_type_ids = inputs.get("token_type_ids")
        target_mapping = inputs.get("target_mapping")
        h = self.word_embedding(input_ids)
        if target_mapping is not None:  # two-stream attention (pre-training only)
            g = tf.tile(self.mask_emb, [tf.shape(h)[0], tf.shape(target_mapping)[1], 1])
            h = h + tf.einsum("bqd,bqi->bid", g, target_mapping)
        seg_mat = self.segment_matrix(token_type_ids)
        for block in self.blocks:
            h = block(h, seg_mat=seg_mat)
        return self.logits(h[:, -1])  # XLNet summarizes with the last token


def make_inputs(n=32):
    rng = np.random.default_rng(0)
    input_ids = rng.integers(1, VOCAB, size=(n, SEQ)).astype("int32")
    labels = rng.integers(0, 2, size=(n,))
    return input_ids, labels


class Finetuner:
    def __init__(self):
        self.model = MiniXLNetForSequenceClassification()
        self.model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

    def fit(self, input_ids, labels):
        features = {"input_ids": input_ids}
        self.model.fit(features, labels, epochs=1, batch_size=16, verbose=0)


def main():
    input_ids, labels = make_inputs()
    tuner = Finetuner()
    tuner.model({"input_ids": input_ids[:1]})
    before = tuner.model.blocks[0].rel_attn.seg_embed.numpy().copy()
    tuner.fit(input_ids, labels)
    after = tuner.model.blocks[0].rel_attn.seg_embed.numpy()
    print("layer_._0 seg_embed changed:", not np.allclose(before, after))


if __name__ == "__main__":
    main()
