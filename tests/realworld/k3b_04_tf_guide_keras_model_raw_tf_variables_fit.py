"""The TensorFlow "Basic training loops" guide ends by moving its linear model into a
`tf.keras.Model` subclass, `MyModelKeras`, whose weight and bias are plain `tf.Variable`
attributes, and then trains it with `compile()`/`fit()`. Under Keras 3 (TF 2.16+) a Keras
model no longer tracks raw `tf.Variable`s set as attributes, so `model.trainable_variables`
is empty: fit warns "The model does not have any trainable weights", the optimizer
updates nothing and the loss stays at its initial value epoch after epoch. (The guide's
hand-written loop still works because it differentiates `[model.w, model.b]` directly.)
Under tf-keras the variables are tracked and the fit converges towards w=3, b=2. Creating
them with `self.add_weight(...)` (or `keras.Variable`) fixes it.
---
source: https://github.com/tensorflow/tensorflow/issues/97599
framework: keras3
outcome: warning
cause: untracked_variable
line: [32, 33]
variables: [w, b]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
TRUE_W = 3.0
TRUE_B = 2.0
NUM_EXAMPLES = 201
x = tf.linspace(-2, 2, NUM_EXAMPLES)
x = tf.cast(x, tf.float32)


class MyModelKeras(tf.keras.Model):
  def __init__(self, **kwargs):
    super().__init__(**kwargs)
    self.w = tf.Variable(5.0)
    self.b = tf.Variable(0.0)

  def call(self, x):
    return self.w * x + self.b


def f(x):
  return x * TRUE_W + TRUE_B


noise = tf.random.normal(shape=[NUM_EXAMPLES])
y = f(x) + noise

keras_model = MyModelKeras()
print("trainable variables:", len(keras_model.trainable_variables))
keras_model.compile(
    run_eagerly=False,
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.1),
    loss=tf.keras.losses.MeanSquaredError(),
)
history = keras_model.fit(x, y, epochs=3, batch_size=1000, verbose=0)
print("losses:", [round(v, 4) for v in history.history["loss"]])
print("w, b:", round(float(keras_model.w.numpy()), 4), round(float(keras_model.b.numpy()), 4))
