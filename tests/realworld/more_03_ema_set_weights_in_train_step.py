"""Subclassed model with two encoders (a BYOL/MoCo-style momentum pair): train_step trains
encoder_1 with a GradientTape, then moves encoder_2 towards it with
encoder_2.set_weights(decay * w2 + (1 - decay) * w1) built from get_weights(); inside fit the
step is a compiled function, and get_weights/set_weights go through NumPy, so fit crashes.

---
source: https://github.com/tensorflow/tensorflow/issues/47675
framework: both
outcome: error
cause: numpy_conversion
line: [46, 47, 48]
also: [variable_assign]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf


class DummyExample(tf.keras.Model):
    def __init__(self, output_dim: int, decay_rate: float):
        super(DummyExample, self).__init__()
        self.output_dim = output_dim
        self.decay = decay_rate
        self.encoder_1 = self.create_encoder()
        self.encoder_2 = self.create_encoder()

    def create_encoder(self):
        encoder = tf.keras.Sequential()
        encoder.add(tf.keras.Input(shape=(4,), dtype=tf.float32))
        encoder.add(tf.keras.layers.Dense(units=self.output_dim, activation="relu"))
        return encoder

    def call(self, inputs):
        return self.encoder_1(inputs)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            z_1 = self.encoder_1(x, training=True)
            z_2 = self.encoder_2(x, training=True)
            loss = tf.reduce_mean(tf.square(z_1 - tf.stop_gradient(z_2))) + tf.reduce_mean(tf.square(z_1 - y))
        grads = tape.gradient(loss, self.encoder_1.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.encoder_1.trainable_variables))
        # momentum update of the second encoder
        w_1 = self.encoder_1.get_weights()
        w_2 = self.encoder_2.get_weights()
        self.encoder_2.set_weights([self.decay * b + (1 - self.decay) * a for a, b in zip(w_1, w_2)])
        return {"loss": loss}


model = DummyExample(output_dim=8, decay_rate=0.99)
model.compile(optimizer="adam")
x = np.random.rand(64, 4).astype("float32")
y = np.random.rand(64, 8).astype("float32")
model.fit(x, y, batch_size=16, epochs=1, verbose=0)
print("trained")
