"""Hand-written batch normalization layer: `batchNormalization(shape, Trainable)` creates its
`beta` and `gamma` (trainable) and the moving mean/variance (non-trainable) as plain
`tf.Variable`s in `__init__`, and is used inside a subclassed `tf.keras.Model` trained with
`fit`. The report found that the model did not list all of the layer's variables. Under
Keras 3 a layer tracks no raw `tf.Variable` at all: none of the four is in
`model.trainable_variables`/`model.variables`, so `fit` trains only the Conv/Dense kernels,
silently, and beta/gamma keep their initial values (tf-keras tracks them and trains them).
Fix: create them with `self.add_weight(..., trainable=True/False)` in `build`.

---
source: https://github.com/tensorflow/tensorflow/issues/46325
framework: keras3
outcome: trains_silently
cause: untracked_variable
line: [30, 31]
variables: [beta, gamma]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
np.random.seed(0)
tf.random.set_seed(0)


class batchNormalization(tf.keras.layers.Layer):
    def __init__(self, shape, Trainable, **kwargs):
        super(batchNormalization, self).__init__(**kwargs)
        self.shape = shape
        self.Trainable = Trainable
        self.beta = tf.Variable(initial_value=tf.zeros(shape), trainable=Trainable, name='beta')
        self.gamma = tf.Variable(initial_value=tf.ones(shape), trainable=Trainable, name='gamma')
        self.moving_mean = tf.Variable(initial_value=tf.zeros(shape), trainable=False, name='moving_mean')
        self.moving_var = tf.Variable(initial_value=tf.ones(shape), trainable=False, name='moving_var')

    def call(self, x, training=None):
        if training:
            mean, var = tf.nn.moments(x, axes=list(range(len(x.shape) - 1)))
            self.moving_mean.assign(0.9 * self.moving_mean + 0.1 * mean)
            self.moving_var.assign(0.9 * self.moving_var + 0.1 * var)
        else:
            mean, var = self.moving_mean, self.moving_var
        return tf.nn.batch_normalization(x, mean, var, self.beta, self.gamma, 1e-3)


class Model(tf.keras.Model):
    def __init__(self):
        super(Model, self).__init__()
        self.conv = tf.keras.layers.Conv2D(8, 3, padding='same')
        self.bn = batchNormalization([8], True)
        self.pool = tf.keras.layers.GlobalAveragePooling2D()
        self.fc = tf.keras.layers.Dense(2)

    def call(self, x, training=None):
        x = tf.nn.relu(self.bn(self.conv(x), training=training))
        return self.fc(self.pool(x))


model = Model()
model.compile(optimizer=tf.keras.optimizers.Adam(1e-2),
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x = np.random.rand(32, 8, 8, 3).astype('float32')
y = np.random.randint(0, 2, size=(32,))
model(x)
print('len(model.variables):', len(model.variables))
print('trainable:', [v.name for v in model.trainable_variables])
history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
print('loss per epoch:', [round(l, 4) for l in history.history['loss']])
print('beta still zero:', bool(np.all(model.bn.beta.numpy() == 0)),
      'gamma still one:', bool(np.all(model.bn.gamma.numpy() == 1)))
