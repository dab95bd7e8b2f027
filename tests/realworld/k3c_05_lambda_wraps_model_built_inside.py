"""The user wraps a recurrent sub-network in a Lambda layer: the function given to Lambda
builds a fresh Sequential with a Bidirectional(LSTM) and applies it to the input. Keras
tracks no layer or variable created inside a Lambda function, so the LSTM weights are
not among the model's trainable weights (the report: training "gets stuck", the Lambda
shows 0 params). In TF 2 the same code no longer runs silently: every trace of the
Lambda builds new variables, and fit() fails (Keras 3: "tf.function only supports
singleton tf.Variables created on the first call"; tf-keras: "Variables were created
within a Lambda layer ... but are not tracked"). Fix: build the Sequential once, outside
the Lambda (or in a subclassed Layer's __init__/build), and add it to the model directly.

---
source: https://github.com/keras-team/keras-applications/issues/168
framework: both
outcome: error
cause: untracked_variable
line: [31, 33, 36]
variables: [forward_lstm, backward_lstm]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Lambda, LSTM, Bidirectional, Dense, Input
np.random.seed(0)
tf.random.set_seed(0)


class mymodel(object):
    def __init__(self):
        def lambda_wrapper(x):
            model = Sequential()
            # some layers like:
            cell = LSTM(8, return_sequences=True)
            layer = Bidirectional(cell)
            model.add(layer)
            return model(x)

        lambda_model_layer = Lambda(lambda x: lambda_wrapper(x))
        self.model = Sequential()
        self.model.add(Input((5, 3)))
        self.model.add(lambda_model_layer)
        self.model.add(Dense(1))


m = mymodel()
m.model.compile(optimizer="adam", loss="mse")
print("trainable weights:", len(m.model.trainable_weights))
x = np.random.rand(32, 5, 3).astype("float32")
y = np.random.rand(32, 5, 1).astype("float32")
m.model.fit(x, y, epochs=2, batch_size=8, verbose=0)
