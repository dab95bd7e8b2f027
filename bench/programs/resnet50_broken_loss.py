"""ResNet50 (weights=None) trained with a loss that goes through argmax: no gradient
reaches any of its variables. The HTML report's stress case: a 175-layer picture."""
import numpy as np
import tensorflow as tf
import keras

model = keras.applications.ResNet50(weights=None, input_shape=(64, 64, 3), classes=10)
optimizer = keras.optimizers.SGD(0.01)
x = np.random.default_rng(0).random((2, 64, 64, 3), dtype=np.float32)
y = np.array([1, 7])

with tf.GradientTape() as tape:
    probabilities = model(x, training=True)
    predicted = tf.argmax(probabilities, axis=-1)
    loss = tf.reduce_mean(tf.cast(tf.not_equal(predicted, y), tf.float32))
gradients = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(gradients, model.trainable_variables))
