"""XOR with a three-unit ReLU hidden layer followed by a hand-written `MyLayer` (sigmoid of
K.dot(x, kernel) + bias, with the bias shaped (output_dim, 1)), trained with Adam and
binary_crossentropy. The user saw that on some runs training "stops updating the weights": the
loss sits at ln 2 = 0.6931 and accuracy at 0.5. No error is raised. On such a run every hidden
unit starts with both incoming weights <= 0 (seeded here so that it happens). The bias is zero and
the inputs are in {0, 1}, so the ReLU outputs 0 for all four XOR inputs and passes back a gradient
of exactly 0. The Dense kernel and bias get all-zero gradients, and so does MyLayer's kernel,
because its input is all zeros. MyLayer's bias has a gradient, but it is 0 too: the output is
sigmoid(0) = 0.5 and the XOR targets are half ones, so nothing moves at all. Fix: a hidden layer that cannot die on this data (more units, a small positive bias
initializer, LeakyReLU or tanh).
---
source: https://github.com/keras-team/keras/issues/9742
framework: both
outcome: trains_silently
cause: zero_gradient
static: false
line: 59
variables: [dense/kernel, dense/bias, my_layer/kernel, my_layer/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Layer, Input, Dense
from tensorflow.keras.models import Model

tf.keras.utils.set_random_seed(64)   # a run on which the hidden layer is dead from the start


class MyLayer(Layer):

    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        super(MyLayer, self).__init__(**kwargs)

    def build(self, input_shape):
        # Create a trainable weight variable for this layer.
        self.kernel = self.add_weight(name='kernel',
                                      shape=(input_shape[1], self.output_dim),
                                      initializer='glorot_uniform',
                                      trainable=True)
        self.bias = self.add_weight(name='bias',
                                    shape=(self.output_dim, 1),
                                    initializer='zeros',
                                    trainable=True)
        super(MyLayer, self).build(input_shape)  # Be sure to call this somewhere!

    def call(self, x):
        return K.sigmoid(K.dot(x, self.kernel) + self.bias)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.output_dim)


x_train = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y_train = np.array([[0], [1], [1], [0]])

x = Input(shape=(2,))
Hidden = Dense(3, activation='relu')(x)
y = MyLayer(output_dim=1)(Hidden)
model = Model(inputs=x, outputs=y)
model.compile(optimizer='adam',
              loss='binary_crossentropy',
              metrics=['accuracy'])
print("trainable:", [getattr(v, "path", v.name) for v in model.trainable_variables])
w0 = [w.copy() for w in model.get_weights()]
history = model.fit(x_train, y_train, epochs=300, batch_size=4, verbose=0)
print("loss at epochs 1, 100, 300:", [round(float(history.history['loss'][i]), 4) for i in (0, 99, 299)])
print("accuracy at epoch 300:", history.history['accuracy'][-1])
print("unchanged after training:",
      [bool(np.array_equal(a, b)) for a, b in zip(w0, model.get_weights())])
print(model.predict(x_train, verbose=0).ravel())
