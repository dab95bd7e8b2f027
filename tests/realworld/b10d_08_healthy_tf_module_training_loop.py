"""Healthy counterpart, adapted from the TensorFlow guide "Basic training
loops": a model managed by hand as a `tf.Module` holding two raw
`tf.Variable`s (w, b), a custom loss, a `tf.function`-compiled training step
that runs the forward pass inside a GradientTape, takes gradients with respect
to `model.trainable_variables` and updates them with `assign_sub`; data comes
from a small `tf.data` pipeline. A second part (also from the guide) trains the
same linear model as a Keras subclassed model with `compile`/`fit`. Everything
is connected; w and b converge towards the true values 3.0 and 2.0.
---
source: https://github.com/tensorflow/docs/blob/master/site/en/guide/basic_training_loops.ipynb
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

TRUE_W = 3.0
TRUE_B = 2.0
NUM_EXAMPLES = 201

x = tf.linspace(-2, 2, NUM_EXAMPLES)
x = tf.cast(x, tf.float32)
noise = tf.random.normal(shape=[NUM_EXAMPLES])
y = x * TRUE_W + TRUE_B + noise


class MyModel(tf.Module):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = tf.Variable(5.0, name="w")
        self.b = tf.Variable(0.0, name="b")

    def __call__(self, x):
        return self.w * x + self.b


def loss(target_y, predicted_y):
    return tf.reduce_mean(tf.square(target_y - predicted_y))


model = MyModel(name="my_model")
dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(NUM_EXAMPLES).batch(50)


@tf.function
def train(model, x, y, learning_rate):
    with tf.GradientTape() as t:
        current_loss = loss(y, model(x))
    dw, db = t.gradient(current_loss, [model.w, model.b])
    model.w.assign_sub(learning_rate * dw)
    model.b.assign_sub(learning_rate * db)
    return current_loss


for epoch in range(10):
    for bx, by in dataset:
        current_loss = train(model, bx, by, learning_rate=0.1)
    print(f"Epoch {epoch:2d}: W={model.w.numpy():1.2f} b={model.b.numpy():1.2f}, "
          f"loss={loss(y, model(x)).numpy():2.5f}")
print("trainable:", [v.name for v in model.trainable_variables])


class MyModelKeras(tf.keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = self.add_weight(name="w", shape=(), initializer=tf.keras.initializers.Constant(5.0))
        self.b = self.add_weight(name="b", shape=(), initializer="zeros")

    def call(self, x):
        return self.w * x + self.b


keras_model = MyModelKeras(name="my_model_keras")
keras_model.compile(run_eagerly=False, loss=tf.keras.losses.MeanSquaredError(),
                    optimizer=tf.keras.optimizers.SGD(learning_rate=0.1))
keras_model.fit(x, y, epochs=10, batch_size=1000, verbose=0)
print("keras model:", float(keras_model.w.numpy()), float(keras_model.b.numpy()))
