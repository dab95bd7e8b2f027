"""A Dense(relu) layer is flattened and passed through `Lambda(lambda x: K.sqrt(x))`
before the output Dense layer; with Adam and MSE the loss becomes nan after the first
update (the report: "loss is nan" on CPU, fine when the sqrt line is removed). ReLU outputs
exact zeros, the derivative of sqrt at 0 is inf, and inf * 0 from the ReLU's own gradient
is NaN: the kernels of `middle` get NaN gradients, Adam writes NaN into them and every
later loss is nan, without any error. Fix: keep the argument away from zero,
`K.sqrt(x + K.epsilon())` (or K.sqrt(K.maximum(x, eps))).

---
source: https://github.com/keras-team/keras/issues/13203
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 34
variables: [middle/kernel, middle/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import Adam
from tensorflow.keras import losses
np.random.seed(0)
tf.random.set_seed(0)


def get_test_mode():
    input = keras.Input(shape=(10, 10), dtype='float32', name='raw_image_left')
    test = keras.layers.Dense(units=64, activation='relu', name='middle', )(input)
    test = keras.layers.Flatten()(test)
    # Comments this line will be correct, which is only incorrect in CPU
    test = keras.layers.Lambda(lambda x: keras.backend.sqrt(x), name='error_point')(test)
    output = keras.layers.Dense(units=1, name='output')(test)
    model = Model(inputs=input, outputs=output)
    return model


model = get_test_mode()
model.compile(optimizer=Adam(), loss=losses.mse)
x = np.random.randn(64, 10, 10).astype("float32")
y = np.random.randn(64, 1).astype("float32")
history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
print("loss:", history.history["loss"])
print("nan in middle/kernel:", bool(np.isnan(model.get_layer("middle").get_weights()[0]).any()))
