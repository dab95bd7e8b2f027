"""Subclassed model whose custom FooLayer keeps its scale factors as raw `tf.Variable`s (one
attribute plus a Python list filled with `append` in a helper called from `__init__`), and
multiplies its input by all of them. (The report used integer variables and only printed
`model.trainable_variables`; here they are floats and a Dense layer precedes FooLayer so there
is something to fit.) Keras 3 does not track raw tf.Variables held by a layer: FooLayer
contributes nothing to `model.trainable_variables`, `fit` trains only the Dense layer without
any warning, and TNS0..TNS3 are bit-identical after training. tf-keras tracks them and trains
them.
---
source: https://github.com/tensorflow/tensorflow/issues/38211
framework: keras3
outcome: trains_silently
cause: untracked_variable
line: [39, 42]
variables: [TNS0, TNS1, TNS2, TNS3]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf


class FooLayer(tf.keras.layers.Layer):
    def __init__(self, siz):
        super(FooLayer, self).__init__()
        self.siz = siz
        self.buildFoo(siz)

    def call(self, in_data):
        Foo0 = tf.multiply(in_data, self.FooTns0)
        FooList = []
        FooList.append(Foo0)
        for it in range(1, self.siz + 1):
            tmp = tf.multiply(FooList[it - 1], self.FooTns[it - 1])
            FooList.append(tmp)
        return FooList[self.siz]

    def buildFoo(self, siz):
        self.FooTns0 = tf.Variable(1.0, name="TNS0")
        self.FooTns = []
        for it in range(0, self.siz):
            self.FooTns.append(tf.Variable(1.0 + it, name="TNS" + str(it + 1)))


class FooModel(tf.keras.Model):
    def __init__(self, siz):
        super(FooModel, self).__init__()
        self.dense = tf.keras.layers.Dense(1)
        self.flayer = FooLayer(siz)

    def call(self, in_data):
        return self.flayer(self.dense(in_data))


tf.keras.utils.set_random_seed(0)
model = FooModel(3)
model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss='mse')
x = np.random.randn(32, 4).astype('float32')
y = (3.0 * x[:, :1]).astype('float32')
model(x)
for v in model.trainable_variables:
    print(v.name)
foo_vars = [model.flayer.FooTns0] + list(model.flayer.FooTns)
before = [v.numpy() for v in foo_vars]
history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
print('loss per epoch:', history.history['loss'])
print('Foo variables unchanged:', all(np.array_equal(b, v.numpy()) for b, v in zip(before, foo_vars)))
