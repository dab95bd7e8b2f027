"""ALBERT-TF2.0 run_squad.py, shrunk: AlbertModel is a custom Keras layer that runs the
embeddings and the encoder, then feeds the first token to a Dense `pooler_transform`
and returns (pooled_output, sequence_output). get_model() for SQuAD unpacks
`_, sequence_output = albert_layer(...)`: the span logits only need the sequence output,
so the pooled output (the only consumer of pooler_transform) is computed and thrown away.
The customized training loop asks for gradients of model.trainable_variables, gets None
for pooler_transform/kernel and pooler_transform/bias, and apply_gradients warns
"Gradients do not exist for variables ... pooler_transform ..." on every step while the
rest trains. Harmless here, but the fix is to not build/return the pooler for SQuAD (or
filter the None gradients).
---
source: https://github.com/kamalkraj/ALBERT-TF2.0/issues/18
framework: both
outcome: warning
cause: unused_variable
static: false
line: [114, 151]
variables: [pooler_transform/kernel, pooler_transform/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
np.random.seed(0)


class AlbertConfig(object):
    def __init__(self, vocab_size, embedding_size=8, hidden_size=16,
                 intermediate_size=32, max_position_embeddings=16,
                 type_vocab_size=2, initializer_range=0.02):
        self.vocab_size = vocab_size
        self.embedding_size = embedding_size
        self.hidden_size = hidden_size
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.type_vocab_size = type_vocab_size
        self.initializer_range = initializer_range


def get_initializer(initializer_range=0.02):
    return tf.keras.initializers.TruncatedNormal(stddev=initializer_range)


class EmbeddingLookup(tf.keras.layers.Layer):
    """Looks up words embeddings for id tensor."""

    def __init__(self, vocab_size, embedding_size=128, initializer_range=0.02, **kwargs):
        super(EmbeddingLookup, self).__init__(**kwargs)
        self.vocab_size = vocab_size
        self.embedding_size = embedding_size
        self.initializer_range = initializer_range

    def build(self, unused_input_shapes):
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=[self.vocab_size, self.embedding_size],
            initializer=get_initializer(self.initializer_range))
        super(EmbeddingLookup, self).build(unused_input_shapes)

    def call(self, inputs):
        return tf.gather(self.embeddings, inputs)


class AlbertModel(tf.keras.layers.Layer):
    """ALBERT: embeddings -> (one-block) encoder -> pooler on the first token."""

    def __init__(self, config, float_type=tf.float32, **kwargs):
        super(AlbertModel, self).__init__(**kwargs)
        self.config = config
        self.float_type = float_type

    def build(self, unused_input_shapes):
        self.embedding_lookup = EmbeddingLookup(
            vocab_size=self.config.vocab_size,
            embedding_size=self.config.embedding_size,
            initializer_range=self.config.initializer_range,
            name="word_embeddings")
        self.type_embeddings = tf.keras.layers.Embedding(
            self.config.type_vocab_size, self.config.embedding_size,
            name="type_embeddings")
        self.embedding_hidden_mapping_in = tf.keras.layers.Dense(
            self.config.hidden_size,
            kernel_initializer=get_initializer(self.config.initializer_range),
            name="embedding_hidden_mapping_in")
        self.attention = tf.keras.layers.MultiHeadAttention(
            num_heads=2, key_dim=self.config.hidden_size // 2, name="attention")
        self.attention_layer_norm = tf.keras.layers.LayerNormalization(
            epsilon=1e-12, name="attention_layer_norm")
        self.intermediate = tf.keras.layers.Dense(
            self.config.intermediate_size, activation="gelu", name="intermediate")
        self.output_dense = tf.keras.layers.Dense(self.config.hidden_size, name="output_dense")
        self.output_layer_norm = tf.keras.layers.LayerNormalization(
            epsilon=1e-12, name="output_layer_norm")
        self.pooler_transform = tf.keras.layers.Dense(
            units=self.config.hidden_size,
            activation="tanh",
            kernel_initializer=get_initializer(self.config.initializer_range),
            name="pooler_transform")
        super(AlbertModel, self).build(unused_input_shapes)

    def call(self, inputs):
        input_word_ids, input_mask, input_type_ids = inputs
        word_embeddings = self.embedding_lookup(input_word_ids)
        embedding_tensor = self.embedding_hidden_mapping_in(
            word_embeddings + self.type_embeddings(input_type_ids))
        attention_mask = tf.cast(input_mask[:, None, :], tf.bool)
        attn = self.attention(embedding_tensor, embedding_tensor,
                              attention_mask=attention_mask)
        x = self.attention_layer_norm(embedding_tensor + attn)
        sequence_output = self.output_layer_norm(
            x + self.output_dense(self.intermediate(x)))
        first_token_tensor = tf.squeeze(sequence_output[:, 0:1, :], axis=1)
        pooled_output = self.pooler_transform(first_token_tensor)
        return (pooled_output, sequence_output)


class ALBertSquadLogitsLayer(tf.keras.layers.Layer):
    """Returns a layer that computes custom logits for BERT squad model."""

    def __init__(self, initializer=None, float_type=tf.float32, **kwargs):
        super(ALBertSquadLogitsLayer, self).__init__(**kwargs)
        self.initializer = initializer
        self.float_type = float_type

    def build(self, unused_input_shapes):
        self.final_dense = tf.keras.layers.Dense(
            units=2, kernel_initializer=self.initializer, name='final_dense')
        super(ALBertSquadLogitsLayer, self).build(unused_input_shapes)

    def call(self, inputs):
        sequence_output = inputs
        logits = self.final_dense(sequence_output)
        logits = tf.transpose(logits, [2, 0, 1])
        unstacked_logits = tf.unstack(logits, axis=0)
        return unstacked_logits[0], unstacked_logits[1]


def get_model(albert_config, max_seq_length, learning_rate):
    """Returns keras fuctional model"""
    float_type = tf.float32
    input_word_ids = tf.keras.layers.Input(
        shape=(max_seq_length,), dtype=tf.int32, name='input_word_ids')
    input_mask = tf.keras.layers.Input(
        shape=(max_seq_length,), dtype=tf.int32, name='input_mask')
    input_type_ids = tf.keras.layers.Input(
        shape=(max_seq_length,), dtype=tf.int32, name='input_type_ids')

    albert_layer = AlbertModel(config=albert_config, float_type=float_type, name="albert_model")

    _, sequence_output = albert_layer(
        [input_word_ids, input_mask, input_type_ids])

    initializer = tf.keras.initializers.TruncatedNormal(
        stddev=albert_config.initializer_range)
    squad_logits_layer = ALBertSquadLogitsLayer(
        initializer=initializer, float_type=float_type, name='squad_logits')
    start_logits, end_logits = squad_logits_layer(sequence_output)

    squad_model = tf.keras.Model(
        inputs=[input_word_ids, input_mask, input_type_ids],
        outputs=[start_logits, end_logits],
        name='squad_model')
    squad_model.optimizer = tf.keras.optimizers.Adam(learning_rate=learning_rate)
    return squad_model


def squad_loss_fn(start_positions, end_positions, start_logits, end_logits):
    start_loss = tf.keras.losses.sparse_categorical_crossentropy(
        start_positions, start_logits, from_logits=True)
    end_loss = tf.keras.losses.sparse_categorical_crossentropy(
        end_positions, end_logits, from_logits=True)
    return (tf.reduce_mean(start_loss) + tf.reduce_mean(end_loss)) / 2


def run_customized_training_loop(model, loss_fn, train_dataset, steps):
    optimizer = model.optimizer
    training_vars = model.trainable_variables

    @tf.function
    def train_single_step(inputs, labels):
        with tf.GradientTape() as tape:
            model_outputs = model(inputs, training=True)
            loss = loss_fn(labels, model_outputs)
        grads = tape.gradient(loss, training_vars)
        optimizer.apply_gradients(zip(grads, training_vars))
        return loss

    for step, (inputs, labels) in enumerate(train_dataset.take(steps)):
        loss = train_single_step(inputs, labels)
    return float(loss)


def get_loss_fn():
    def _loss_fn(labels, model_outputs):
        start_positions, end_positions = labels
        start_logits, end_logits = model_outputs
        return squad_loss_fn(start_positions, end_positions, start_logits, end_logits)
    return _loss_fn


max_seq_length, n = 12, 32
albert_config = AlbertConfig(vocab_size=50)
model = get_model(albert_config, max_seq_length, learning_rate=1e-3)
print([p for p in (getattr(v, "path", v.name) for v in model.trainable_variables) if "pooler" in p])

word_ids = np.random.randint(1, 50, size=(n, max_seq_length)).astype("int32")
mask = np.ones((n, max_seq_length), "int32")
type_ids = np.zeros((n, max_seq_length), "int32")
starts = np.random.randint(0, max_seq_length, size=(n,)).astype("int32")
ends = np.random.randint(0, max_seq_length, size=(n,)).astype("int32")
train_dataset = tf.data.Dataset.from_tensor_slices(
    ((word_ids, mask, type_ids), (starts, ends))).batch(8).repeat()

final_loss = run_customized_training_loop(model, get_loss_fn(), train_dataset, steps=4)
print("final loss:", round(final_loss, 4))
