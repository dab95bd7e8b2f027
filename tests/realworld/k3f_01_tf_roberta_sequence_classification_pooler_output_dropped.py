"""Fine-tuning transformers' TFRobertaForSequenceClassification on MNLI with model.fit
prints "Gradients do not exist for variables ['.../roberta/pooler/dense/kernel',
'.../roberta/pooler/dense/bias'] when minimizing the loss". RoBERTa reuses
TFBertMainLayer, whose call() always computes `pooled_output = self.pooler(sequence_output)`
(a tanh Dense on the first token) and returns it as outputs[1]; but the RoBERTa
classification model only takes `sequence_output = outputs[0]` and runs its own
TFRobertaClassificationHead on `features[:, 0, :]`. The pooler's result is computed and
then dropped, so its kernel and bias never reach the loss and keep their initial values,
while everything else trains. Fix: either use the pooled output (outputs[1]) in the head,
or do not build / exclude the pooler (later transformers versions create the main layer
with add_pooling_layer=False for this head). Here the encoder is one Dense block and the
vocabulary is tiny, random token ids stand in for MNLI.
---
source: https://github.com/huggingface/transformers/issues/1727
framework: both
outcome: warning
cause: unused_variable
static: false
line: [68, 106, 108]
variables: [pooler/dense/kernel, pooler/dense/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
np.random.seed(0)
tf.random.set_seed(0)


class RobertaConfig:
    vocab_size = 50
    hidden_size = 16
    intermediate_size = 32
    hidden_dropout_prob = 0.1
    initializer_range = 0.02
    num_labels = 3


def get_initializer(initializer_range=0.02):
    return tf.keras.initializers.TruncatedNormal(stddev=initializer_range)


class TFBertPooler(tf.keras.layers.Layer):
    def __init__(self, config, **kwargs):
        super(TFBertPooler, self).__init__(**kwargs)
        self.dense = tf.keras.layers.Dense(config.hidden_size,
                                           kernel_initializer=get_initializer(config.initializer_range),
                                           activation='tanh',
                                           name='dense')

    def call(self, hidden_states):
        # We "pool" the model by simply taking the hidden state corresponding
        # to the first token.
        first_token_tensor = hidden_states[:, 0]
        pooled_output = self.dense(first_token_tensor)
        return pooled_output


class TFRobertaMainLayer(tf.keras.layers.Layer):
    def __init__(self, config, **kwargs):
        super(TFRobertaMainLayer, self).__init__(**kwargs)
        self.embeddings = tf.keras.layers.Embedding(config.vocab_size, config.hidden_size, name='embeddings')
        self.encoder = tf.keras.layers.Dense(config.hidden_size, activation='gelu', name='encoder')
        self.pooler = TFBertPooler(config, name='pooler')

    def call(self, inputs, training=False):
        embedding_output = self.embeddings(inputs)
        sequence_output = self.encoder(embedding_output)
        pooled_output = self.pooler(sequence_output)

        outputs = (sequence_output, pooled_output,)
        return outputs  # sequence_output, pooled_output


class TFRobertaClassificationHead(tf.keras.layers.Layer):
    """Head for sentence-level classification tasks."""

    def __init__(self, config, **kwargs):
        super(TFRobertaClassificationHead, self).__init__(**kwargs)
        self.dense = tf.keras.layers.Dense(config.hidden_size,
                                           kernel_initializer=get_initializer(config.initializer_range),
                                           activation='tanh',
                                           name="dense")
        self.dropout = tf.keras.layers.Dropout(config.hidden_dropout_prob)
        self.out_proj = tf.keras.layers.Dense(config.num_labels,
                                              kernel_initializer=get_initializer(config.initializer_range),
                                              name="out_proj")

    def call(self, features, training=False):
        x = features[:, 0, :]  # take <s> token (equiv. to [CLS])
        x = self.dropout(x, training=training)
        x = self.dense(x)
        x = self.dropout(x, training=training)
        x = self.out_proj(x)
        return x


class TFRobertaForSequenceClassification(tf.keras.Model):
    def __init__(self, config, *inputs, **kwargs):
        super(TFRobertaForSequenceClassification, self).__init__(*inputs, **kwargs)
        self.num_labels = config.num_labels

        self.roberta = TFRobertaMainLayer(config, name="roberta")
        self.classifier = TFRobertaClassificationHead(config, name="classifier")

    def call(self, inputs, training=False):
        outputs = self.roberta(inputs, training=training)

        sequence_output = outputs[0]
        logits = self.classifier(sequence_output, training=training)

        outputs = (logits,) + outputs[2:]

        return outputs  # logits, (hidden_states), (attentions)


config = RobertaConfig()
model = TFRobertaForSequenceClassification(config)

# stands in for glue_convert_examples_to_features(..., 'mnli'): token ids and 3 labels
input_ids = np.random.randint(2, config.vocab_size, size=(64, 12)).astype('int32')
labels = np.random.randint(0, 3, size=(64,))

optimizer = tf.keras.optimizers.Adam(learning_rate=3e-4, epsilon=1e-08)
loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
model.compile(optimizer=optimizer, loss=loss, metrics=['accuracy'])
model.fit(input_ids, labels, epochs=1, batch_size=16, verbose=0)
print([v.path if hasattr(v, 'path') else v.name for v in model.trainable_variables])
