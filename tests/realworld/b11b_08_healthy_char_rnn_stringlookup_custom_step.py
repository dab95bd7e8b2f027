"""Healthy program adapted from the TensorFlow "Text generation with an RNN"
tutorial: characters are mapped to ids with a StringLookup layer (and back with
an inverted StringLookup), a GRU language model with an Embedding is trained
with the tutorial's CustomTraining.train_step (GradientTape inside the step),
and text is sampled one step at a time with tf.random.categorical and a
SparseTensor mask that forbids the [UNK] token. Everything that looks
suspicious is outside the differentiable path: the string/lookup layers only
run in the tf.data pipeline, sampling and argmax happen in generation, and
.numpy() is used for logging after the tape closed. The loss drops well below
its starting value on a small synthetic corpus made of repeated words.
---
source: https://github.com/tensorflow/docs/blob/master/site/en/tutorials/text/text_generation.ipynb
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

# synthetic corpus: random sequence of a few words (learnable character structure)
words = ["to", "be", "or", "not", "that", "is", "the", "question"]
rng = np.random.default_rng(0)
text = " ".join(rng.choice(words, size=1500))
vocab = sorted(set(text))

ids_from_chars = tf.keras.layers.StringLookup(vocabulary=list(vocab), mask_token=None)
chars_from_ids = tf.keras.layers.StringLookup(vocabulary=ids_from_chars.get_vocabulary(),
                                              invert=True, mask_token=None)

all_ids = ids_from_chars(tf.strings.unicode_split(text, "UTF-8"))
ids_dataset = tf.data.Dataset.from_tensor_slices(all_ids)
seq_length = 40
sequences = ids_dataset.batch(seq_length + 1, drop_remainder=True)


def split_input_target(sequence):
    return sequence[:-1], sequence[1:]


dataset = (sequences.map(split_input_target).shuffle(1000, seed=0)
           .batch(16, drop_remainder=True).prefetch(tf.data.AUTOTUNE))

vocab_size = len(ids_from_chars.get_vocabulary())
embedding_dim, rnn_units = 32, 64


class MyModel(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim, rnn_units):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")
        self.gru = tf.keras.layers.GRU(rnn_units, return_sequences=True, return_state=True, name="gru")
        self.dense = tf.keras.layers.Dense(vocab_size, name="logits")

    def call(self, inputs, states=None, return_state=False, training=False):
        x = self.embedding(inputs, training=training)
        if states is None:
            x, states = self.gru(x, training=training)
        else:
            x, states = self.gru(x, initial_state=states, training=training)
        x = self.dense(x, training=training)
        return (x, states) if return_state else x


class CustomTraining(MyModel):
    @tf.function
    def train_step(self, inputs):
        inputs, labels = inputs
        with tf.GradientTape() as tape:
            predictions = self(inputs, training=True)
            loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


class OneStep(tf.Module):
    def __init__(self, model, chars_from_ids, ids_from_chars, temperature=1.0):
        super().__init__()
        self.temperature, self.model = temperature, model
        self.chars_from_ids, self.ids_from_chars = chars_from_ids, ids_from_chars
        skip_ids = self.ids_from_chars(["[UNK]"])[:, None]
        sparse_mask = tf.SparseTensor(values=[-float("inf")] * len(skip_ids), indices=skip_ids,
                                      dense_shape=[len(ids_from_chars.get_vocabulary())])
        self.prediction_mask = tf.sparse.to_dense(sparse_mask)

    def generate_one_step(self, inputs, states=None):
        input_chars = tf.strings.unicode_split(inputs, "UTF-8")
        input_ids = self.ids_from_chars(input_chars).to_tensor()
        predicted_logits, states = self.model(inputs=input_ids, states=states, return_state=True)
        predicted_logits = predicted_logits[:, -1, :] / self.temperature + self.prediction_mask
        predicted_ids = tf.squeeze(tf.random.categorical(predicted_logits, num_samples=1), axis=-1)
        return self.chars_from_ids(predicted_ids), states


model = CustomTraining(vocab_size=vocab_size, embedding_dim=embedding_dim, rnn_units=rnn_units)
model.loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
model.optimizer = tf.keras.optimizers.Adam(1e-2)

mean = tf.keras.metrics.Mean()
history = []
for epoch in range(6):
    mean.reset_state()
    for inp, target in dataset:
        logs = model.train_step([inp, target])
        mean.update_state(logs["loss"])
    history.append(float(mean.result().numpy()))
    print(f"epoch {epoch + 1} loss {history[-1]:.4f}")

one_step_model = OneStep(model, chars_from_ids, ids_from_chars)
states, next_char, result = None, tf.constant(["to be "]), [tf.constant(["to be "])]
for n in range(30):
    next_char, states = one_step_model.generate_one_step(next_char, states=states)
    result.append(next_char)
print("sample:", tf.strings.join(result)[0].numpy().decode("utf-8"))
print("loss went down:", history[-1] < 0.6 * history[0])
