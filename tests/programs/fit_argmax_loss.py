"""An ordinal rating classifier trained with model.fit and a custom loss: the
mean distance between the predicted class index (argmax) and the true rating.
argmax has no gradient, so nothing reaches the weights; the float cast that
follows it is not the root.

---
framework: both
outcome: error
cause: nondifferentiable_op
line: 21
variables: [rating_hidden, rating_probs]
"""
import numpy as np
import tensorflow as tf

NUM_RATINGS = 5


def rating_distance(y_true, y_pred):
    labels = tf.cast(tf.reshape(y_true, [-1]), tf.float32)
    predicted = tf.argmax(y_pred, axis=-1)
    predicted = tf.cast(predicted, tf.float32)
    return tf.reduce_mean(tf.abs(predicted - labels))


model = tf.keras.Sequential(
    [
        tf.keras.Input((12,)),
        tf.keras.layers.Dense(32, activation="relu", name="rating_hidden"),
        tf.keras.layers.Dense(NUM_RATINGS, activation="softmax", name="rating_probs"),
    ],
    name="rater",
)
model.compile(optimizer="adam", loss=rating_distance)
x = np.random.rand(80, 12).astype("float32")
y = np.random.randint(0, NUM_RATINGS, size=(80, 1))
history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print("losses:", history.history["loss"])
