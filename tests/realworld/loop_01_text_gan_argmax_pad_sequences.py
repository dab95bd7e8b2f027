"""Text GAN in TF2: the generator (Embedding + LSTMs + softmax) predicts the next word, the train step turns that prediction into a token with np.argmax and keras pad_sequences before the discriminator sees it, so every generator gradient is None and apply_gradients fails.

---
source: https://github.com/keras-team/tf-keras/issues/293
framework: both
outcome: error
cause: numpy_conversion
line: 51
also: [nondifferentiable_op]
variables: [embedding/embeddings, lstm/lstm_cell/kernel, lstm_1/lstm_cell/kernel, dense/kernel, dense_1/kernel]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers import LSTM, Dense
from tensorflow.keras.preprocessing.sequence import pad_sequences

total_words = 40
max_sequence_length = 9
batch_size = 8

generator = keras.Sequential([
    keras.Input((max_sequence_length - 1,)),
    layers.Embedding(total_words, 16),
    LSTM(16, return_sequences=True),
    LSTM(8),
    layers.Dropout(0.1),
    Dense(total_words // 2),
    Dense(total_words, activation="softmax"),
], name="generator")

discriminator = keras.Sequential([
    keras.Input((max_sequence_length - 1,)),
    layers.Embedding(total_words, 16),
    layers.Bidirectional(LSTM(8)),
    layers.Dropout(0.2),
    Dense(16, activation="relu"),
    Dense(1, activation="sigmoid"),
], name="discriminator")

cross_entropy = keras.losses.BinaryCrossentropy()
generator_optimizer = keras.optimizers.Adam(1e-3)


def train_step(text):
    with tf.GradientTape() as gen_tape:
        predicted_next_word = generator(text, training=True)
        pred_to_word = pad_sequences([[int(w)] for w in np.argmax(predicted_next_word, axis=1)], maxlen=max_sequence_length - 1)
        fake_output = discriminator(pred_to_word, training=True)
        gen_loss = cross_entropy(tf.ones_like(fake_output), fake_output)
    gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
    print("gradients_of_generator:", gradients_of_generator[:3])
    generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
    return gen_loss


text = np.random.randint(1, total_words, size=(batch_size, max_sequence_length - 1))
for epoch in range(2):
    print("gen_loss", float(train_step(text)))
