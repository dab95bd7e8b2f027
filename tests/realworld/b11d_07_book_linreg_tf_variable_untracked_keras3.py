"""Python Machine Learning 3rd ed., ch13 part 2: a linear-regression
`MyModel(tf.keras.Model)` holds its parameters as `self.w = tf.Variable(0.0)`
and `self.b = tf.Variable(0.0)`. The book's hand-written GradientTape loop
(`tape.gradient(loss, [model.w, model.b])` + `assign_sub`) still works, but the
"Model training via .compile() and .fit()" section no longer learns: a reader
on current TensorFlow gets "UserWarning: The model does not have any trainable
weights" and w, b stay 0. Cause (reader's fix confirmed by running): Keras 3
models only track `keras.Variable`s; a raw `tf.Variable` attribute is not in
`model.trainable_variables`, so fit() differentiates w.r.t. nothing. Fix:
`tf.keras.Variable(...)` / `self.add_weight(...)`. Under tf-keras (Keras 2) the
tf.Variables are tracked and fit() trains, so this reproduces only on Keras 3.
---
source: https://github.com/rasbt/python-machine-learning-book-3rd-edition/issues/179
framework: keras3
outcome: trains_silently
cause: untracked_variable
also: [frozen_model]
line: [36, 37]
variables: [my_model_1.w, my_model_1.b]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)

X_train = np.arange(10).reshape((10, 1))
y_train = np.array([1.0, 1.3, 3.1, 2.0, 5.0, 6.3, 6.6, 7.4, 8.0, 9.0])
X_train_norm = (X_train - np.mean(X_train)) / np.std(X_train)
ds_train_orig = tf.data.Dataset.from_tensor_slices(
    (tf.cast(X_train_norm, tf.float32), tf.cast(y_train, tf.float32)))


class MyModel(tf.keras.Model):
    def __init__(self):
        super(MyModel, self).__init__()
        self.w = tf.Variable(0.0, name='weight')
        self.b = tf.Variable(0.0, name='bias')

    def call(self, x):
        return self.w*x + self.b


def loss_fn(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred))


def train(model, inputs, outputs, learning_rate):
    with tf.GradientTape() as tape:
        current_loss = loss_fn(model(inputs), outputs)
    dW, db = tape.gradient(current_loss, [model.w, model.b])
    model.w.assign_sub(learning_rate * dW)
    model.b.assign_sub(learning_rate * db)


# --- manual training loop from the book (works) ---
model = MyModel()
ds_train = ds_train_orig.shuffle(buffer_size=len(y_train)).repeat(count=None).batch(1)
for i, (bx, by) in enumerate(ds_train):
    if i >= 200:
        break
    train(model, bx, by, learning_rate=0.01)
print('manual loop  -> w, b:', model.w.numpy(), model.b.numpy())

# --- Model training via the .compile() and .fit() methods (does not learn) ---
model = MyModel()
model.compile(optimizer='sgd', loss=loss_fn, metrics=['mae', 'mse'])
print('trainable variables seen by Keras:', [v.name for v in model.trainable_variables])
hist = model.fit(X_train_norm, y_train, epochs=20, batch_size=1, verbose=0)
print('fit() losses (first, last):', hist.history['loss'][0], hist.history['loss'][-1])
print('fit()        -> w, b:', model.w.numpy(), model.b.numpy())
