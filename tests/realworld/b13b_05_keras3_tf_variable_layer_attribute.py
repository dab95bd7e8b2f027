"""A custom layer written in the classic tf.keras style (as in TensorFlow's "Introduction
to modules, layers, and models" guide): FlexibleDense creates its kernel and bias with
tf.Variable inside build(), and a small subclassed model stacks two of them and is
trained with a tf.function custom loop over a tf.data pipeline. Under Keras 2
(tf.keras) variables assigned as layer attributes are auto-tracked and the model
trains. Under Keras 3 they are not: the Keras 3 incompatibility list states that
tf.Variable layer attributes are no longer tracked, so model.trainable_variables is
empty: tape.gradient gets no sources and optimizer.apply_gradients fails on the empty
gradient list ("not enough values to unpack"). Fix: create the weights with
self.add_weight(...) (a keras.Variable) instead of tf.Variable.
---
source: https://github.com/keras-team/keras/issues/18467
framework: keras3
outcome: error
cause: untracked_variable
line: [32, 33]
variables: [w, b]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)


class FlexibleDense(tf.keras.layers.Layer):
    # Note the added `**kwargs`, as Keras supports many arguments
    def __init__(self, out_features, **kwargs):
        super().__init__(**kwargs)
        self.out_features = out_features

    def build(self, input_shape):  # Create the state of the layer (weights)
        self.w = tf.Variable(tf.random.normal([input_shape[-1], self.out_features]), name='w')
        self.b = tf.Variable(tf.zeros([self.out_features]), name='b')

    def call(self, inputs):  # Defines the computation from inputs to outputs
        return tf.matmul(inputs, self.w) + self.b


class MySequentialModel(tf.keras.Model):
    def __init__(self, name=None, **kwargs):
        super().__init__(**kwargs)
        self.dense_1 = FlexibleDense(out_features=3, name="flex_1")
        self.dense_2 = FlexibleDense(out_features=2, name="flex_2")

    def call(self, x):
        x = self.dense_1(x)
        return self.dense_2(x)


x_all = np.random.rand(128, 3).astype("float32")
y_all = (x_all @ np.array([[1., -2.], [0.5, 1.], [2., 0.]], dtype="float32")).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((x_all, y_all)).shuffle(128).batch(32)

model = MySequentialModel(name="the_model")
model(tf.constant([[2.0, 2.0, 2.0]]))
print("trainable variables:", [getattr(v, "path", v.name) for v in model.trainable_variables])

optimizer = tf.keras.optimizers.SGD(learning_rate=0.05)
loss_fn = tf.keras.losses.MeanSquaredError()


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


w_before = model.dense_1.w.numpy().copy()
for epoch in range(5):
    for xb, yb in dataset:
        loss = train_step(xb, yb)
    print("epoch", epoch, "loss", float(loss))
print("flex_1 kernel changed:", not np.allclose(w_before, model.dense_1.w.numpy()))
