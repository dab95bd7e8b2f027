"""An LSTM forecaster in an eager loop: the predictions are pulled out with
`.numpy()` to clip them with NumPy inside the tape, and the clipped array comes
back as a constant. The loss is still built with TensorFlow ops, but it no
longer depends on the model's weights.

---
framework: both
outcome: error
cause: numpy_conversion
line: 34
variables: [lstm, forecast]
"""
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential(
    [
        tf.keras.Input((10, 3)),
        tf.keras.layers.LSTM(16, name="lstm"),
        tf.keras.layers.Dense(1, name="forecast"),
    ],
    name="forecaster",
)
optimizer = tf.keras.optimizers.Adam(1e-3)
series = np.random.randn(64, 10, 3).astype("float32")
targets = series[:, -1, :1] * 0.5 + 0.1
dataset = tf.data.Dataset.from_tensor_slices((series, targets)).batch(16)

for epoch in range(2):
    for xb, yb in dataset:
        with tf.GradientTape() as tape:
            forecast = model(xb, training=True)
            # clip outliers before the loss
            clipped = np.clip(forecast.numpy(), -2.0, 2.0)
            loss = tf.reduce_mean(tf.square(tf.convert_to_tensor(clipped) - yb))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"epoch {epoch}: loss {float(loss):.4f}")
