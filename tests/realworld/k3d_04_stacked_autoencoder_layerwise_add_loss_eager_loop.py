"""Stacked autoencoder whose custom layers "handle their own losses": each AutoencoderLayer
encodes its input, reconstructs it with its own decoder and registers the layer-wise
reconstruction error plus a KL sparsity penalty with `self.add_loss(...)`, returning only the
code; a softmax head sits on top. The user trains in eager mode with a hand-written
GradientTape loop and computes only the classification loss, believing the layer losses are
handled by the layers. They are only collected in `model.losses`: nothing adds them, so the
decoders, which feed nothing but the reconstruction terms, get no gradient (TensorFlow warns
"Gradients do not exist for variables [.../decoder/kernel, .../decoder/bias ...]") and the
layer-wise pre-training objective is silently dropped. Fix: `loss = loss_fn(y, logits) +
tf.add_n(model.losses)` inside the tape.

---
source: https://github.com/tensorflow/tensorflow/issues/32058
framework: both
outcome: warning
cause: unused_variable
static: false
line: 67
variables: [decoder]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
np.random.seed(0)
tf.random.set_seed(0)


class AutoencoderLayer(tf.keras.layers.Layer):
    def __init__(self, units, sparsity=0.05, beta=0.1, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.sparsity = sparsity
        self.beta = beta

    def build(self, input_shape):
        self.encoder = tf.keras.layers.Dense(self.units, activation='sigmoid', name='encoder')
        self.decoder = tf.keras.layers.Dense(int(input_shape[-1]), name='decoder')

    def call(self, inputs):
        code = self.encoder(inputs)
        reconstruction = self.decoder(code)
        self.add_loss(tf.reduce_mean(tf.square(inputs - reconstruction)))
        rho_hat = tf.reduce_mean(code, axis=0)
        rho = self.sparsity
        kl = tf.reduce_sum(rho * tf.math.log(rho / rho_hat)
                           + (1 - rho) * tf.math.log((1 - rho) / (1 - rho_hat)))
        self.add_loss(self.beta * kl)
        return code


model = tf.keras.Sequential([
    AutoencoderLayer(16),
    AutoencoderLayer(8),
    tf.keras.layers.Dense(3),
])
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-3)

x_train = np.random.rand(64, 20).astype('float32')
y_train = np.random.randint(0, 3, size=(64,))
dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)

for epoch in range(2):
    for step, (x, y) in enumerate(dataset):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = loss_fn(y, logits)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
    print('epoch', epoch, 'loss', round(float(loss), 4),
          'layer losses (not trained):', round(float(tf.add_n(model.losses)), 4))
