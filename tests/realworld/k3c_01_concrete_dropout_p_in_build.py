"""Port of Yarin Gal's Keras ConcreteDropout wrapper to TensorFlow 2. The wrapper creates the
trainable dropout logit `p_logit` in build() and, still inside build(), computes
`self.p = sigmoid(p_logit)` and the KL regulariser, which call() passes to add_loss.
Under TF 2 build() runs once, eagerly, before any GradientTape exists: `self.p` and the
regulariser are frozen constant tensors, so call() multiplies the inputs by a constant
instead of by a function of `p_logit`, and Keras warns that gradients do not exist for
the `p_logit` variables (the dropout rate never moves). Fix: compute `p` and the
regulariser inside call() (and add_loss there).

---
source: https://github.com/yaringal/ConcreteDropout/issues/13
framework: both
outcome: warning
cause: outside_tape
line: 45
variables: [p_logit]
also: [disconnected]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense, Wrapper, Input
np.random.seed(0)
tf.random.set_seed(0)


class ConcreteDropout(Wrapper):
    def __init__(self, layer, weight_regularizer=1e-6, dropout_regularizer=1e-5,
                 init_min=0.1, init_max=0.1, **kwargs):
        super(ConcreteDropout, self).__init__(layer, **kwargs)
        self.weight_regularizer = weight_regularizer
        self.dropout_regularizer = dropout_regularizer
        self.init_min = np.log(init_min) - np.log(1. - init_min)
        self.init_max = np.log(init_max) - np.log(1. - init_max)

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
        super(ConcreteDropout, self).build(input_shape)
        self.p_logit = self.add_weight(name='p_logit', shape=(1,),
                                       initializer=keras.initializers.RandomUniform(self.init_min, self.init_max),
                                       trainable=True)
        self.p = K.sigmoid(self.p_logit[0])

        input_dim = np.prod(input_shape[-1])
        weight = self.layer.kernel
        kernel_regularizer = self.weight_regularizer * K.sum(K.square(weight)) / (1. - self.p)
        dropout_regularizer = self.p * K.log(self.p)
        dropout_regularizer += (1. - self.p) * K.log(1. - self.p)
        dropout_regularizer *= self.dropout_regularizer * input_dim
        self.regularizer = K.sum(kernel_regularizer + dropout_regularizer)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def concrete_dropout(self, x):
        eps = K.epsilon()
        temp = 0.1
        unif_noise = K.random_uniform(shape=K.shape(x))
        drop_prob = (K.log(self.p + eps) - K.log(1. - self.p + eps)
                     + K.log(unif_noise + eps) - K.log(1. - unif_noise + eps))
        drop_prob = K.sigmoid(drop_prob / temp)
        random_tensor = 1. - drop_prob
        retain_prob = 1. - self.p
        x *= random_tensor
        x /= retain_prob
        return x

    def call(self, inputs, training=None):
        self.add_loss(self.regularizer)
        return self.layer.call(self.concrete_dropout(inputs))


Q, D, nb_features = 1, 1, 16
X = np.random.randn(64, Q).astype("float32")
Y = (X * 2. + 8. + np.random.randn(64, D)).astype("float32")

inp = Input(shape=(Q,))
x = ConcreteDropout(Dense(nb_features, activation='relu'))(inp)
x = ConcreteDropout(Dense(nb_features, activation='relu'))(x)
mean = ConcreteDropout(Dense(D))(x)
model = keras.Model(inp, mean)
model.compile(optimizer='adam', loss='mse')
model.fit(X, Y, epochs=2, batch_size=16, verbose=0)
print("p:", [float(K.sigmoid(l.p_logit[0])) for l in model.layers if isinstance(l, ConcreteDropout)])
