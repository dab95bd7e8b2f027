"""RDF-to-text GAN: a subclassed encoder-decoder generator is trained adversarially against a two-input discriminator; the train step takes tf.argmax of the generator's token probabilities and pads the batch with keras pad_sequences (NumPy) before the discriminator, so the discriminator trains but the generator's apply_gradients fails with no gradients.

---
source: https://github.com/dbpedia/RDF2text-GAN/issues/1
framework: both
outcome: error
cause: nondifferentiable_op
line: [74, 76]
also: [numpy_conversion]
variables: [generator]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

vocab_size, d_model, inp_len, tar_len, batch_size = 30, 16, 7, 8, 4


class Transformer(tf.keras.Model):
    """Tiny stand-in for the tutorial Transformer: encoder + decoder + final projection."""

    def __init__(self, vocab_size, d_model, **kwargs):
        super().__init__(**kwargs)
        self.enc_embedding = tf.keras.layers.Embedding(vocab_size, d_model)
        self.dec_embedding = tf.keras.layers.Embedding(vocab_size, d_model)
        self.attention = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=8)
        self.ffn = tf.keras.layers.Dense(d_model, activation="relu")
        self.final_layer = tf.keras.layers.Dense(vocab_size)

    def call(self, inp, tar, training):
        enc_output = self.enc_embedding(inp)
        dec = self.dec_embedding(tar)
        attn = self.attention(dec, enc_output, training=training)
        return self.final_layer(self.ffn(attn + dec)), attn


class TransformerDiscriminator2(tf.keras.Model):
    def __init__(self, vocab_size, **kwargs):
        super().__init__(**kwargs)
        self.embedding = tf.keras.layers.Embedding(vocab_size, d_model)
        self.pool = tf.keras.layers.GlobalAveragePooling1D()
        self.concat = tf.keras.layers.Concatenate()
        self.out = tf.keras.layers.Dense(1)

    def call(self, inputs, training=False):
        triples, text = inputs
        return self.out(self.concat([self.pool(self.embedding(triples)), self.pool(self.embedding(text))]))


def discriminator_loss(real_output, fake_output):
    loss_object = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    return loss_object(tf.ones_like(real_output), real_output) + loss_object(tf.zeros_like(fake_output), fake_output)


def generator_loss(fake_output):
    loss_object = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    fake_output = tf.convert_to_tensor(fake_output, dtype=tf.float32)
    return loss_object(tf.ones_like(fake_output, dtype=tf.float32), fake_output)


generator = Transformer(vocab_size, d_model, name="generator")
discriminator = TransformerDiscriminator2(vocab_size, name="discriminator")
generator_optimizer = tf.keras.optimizers.Adam(1e-4)
discriminator_optimizer = tf.keras.optimizers.Adam(1e-4)


def train_step(inp, tar):
    tar_inp = tar[:, :-1]
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        # Get prediction probabilities from generator
        predictions, _ = generator(inp, tar_inp, training=True)
        # Get predicted sequences for batch
        batch_pred = tf.argmax(predictions, axis=-1)
        # Pad predicted batch
        batch_pred = tf.keras.preprocessing.sequence.pad_sequences(batch_pred, padding="post",
                                                                   value=0, maxlen=tar.shape[-1])
        disc_preds_real = discriminator([inp, tar], training=True)
        disc_preds_fake = discriminator([inp, batch_pred], training=True)
        d_loss = discriminator_loss(disc_preds_real, disc_preds_fake)
        g_loss = generator_loss(disc_preds_fake)

    disc_grads = disc_tape.gradient(d_loss, discriminator.trainable_weights)
    discriminator_optimizer.apply_gradients(zip(disc_grads, discriminator.trainable_weights))
    print("discriminator step done, d_loss", float(d_loss))

    gen_grads = gen_tape.gradient(g_loss, generator.trainable_weights)
    generator_optimizer.apply_gradients(zip(gen_grads, generator.trainable_weights))


inp = tf.constant(np.random.randint(1, vocab_size, size=(batch_size, inp_len)))
tar = tf.constant(np.random.randint(1, vocab_size, size=(batch_size, tar_len)))
train_step(inp, tar)
