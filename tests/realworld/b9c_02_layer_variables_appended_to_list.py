"""A user subclassed a Keras Layer and created its weights as raw `tf.Variable`s,
appending them one by one to a Python list that starts empty
(`self.kernels = []` then `self.kernels.append(tf.Variable(...))`). They
noticed that variables kept like this are not tracked, so they are not in
`trainable_variables` and are never trained, and called the tracking
"unpredictable"; their own note in the report is that `self.add_weight`
works in every case.
Under Keras 3 a Keras layer tracks no raw `tf.Variable` at all (list or not):
the layer's `trainable_variables` hold only the Dense head, the tape is asked
for those, and the per-feature kernels and biases keep their initial values
while the loss falls a little through the head alone. No warning is printed.
Under tf-keras (Keras 2) the list is tracked and everything trains. Fix: build
the weights with `self.add_weight(...)` in `__init__` or `build`.
---
source: https://github.com/keras-team/tf-keras/issues/513
framework: keras3
outcome: trains_silently
cause: untracked_variable
line: [36, 37, 38, 39]
variables: [toy_kernel, toy_bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class ToyLayer(tf.keras.layers.Layer):
    def __init__(self, n_branches=3, **kwargs):
        super().__init__(**kwargs)
        self.n_branches = n_branches
        self.kernels = []
        self.biases = []
        for i in range(n_branches):
            self.kernels.append(tf.Variable(tf.random.normal([4, 4]) * 0.3,
                                            name=f"toy_kernel_{i}"))
            self.biases.append(tf.Variable(tf.zeros([4]),
                                           name=f"toy_bias_{i}"))

    def call(self, x):
        outs = [tf.nn.relu(tf.matmul(x, k) + b)
                for k, b in zip(self.kernels, self.biases)]
        return tf.add_n(outs)


class ToyModel(tf.keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.toy = ToyLayer()
        self.head = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.head(self.toy(x))


model = ToyModel()
optimizer = tf.keras.optimizers.Adam(0.01)
loss_fn = tf.keras.losses.MeanSquaredError()

x = np.random.rand(64, 4).astype("float32")
y = (x.sum(axis=1, keepdims=True) ** 2).astype("float32")
model(x[:1])

for epoch in range(30):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    if epoch % 10 == 0:
        print("epoch", epoch, "loss", float(loss),
              "n_trainable", len(model.trainable_variables))
