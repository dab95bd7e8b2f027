"""The user wants to apply an existing model (model1, one Dense layer) three times in a row
and writes it as a Lambda layer whose function calls `model(x)` in a loop, then builds
and trains model2 around that Lambda. A Lambda tracks nothing its function touches:
model2.weights is [] (the report: model2 saves no weights), so model2.fit trains nothing.
Keras 3 warns "The model does not have any trainable weights"; tf-keras warns that
"Variables were used a Lambda layer's call ... but are not present in its tracked
objects"; model1's kernel never changes. Fix: call model1 on the tensors directly
(x3 = model1(model1(model1(input3)))), as in the report's working model3.

---
source: https://github.com/keras-team/keras/issues/9740
framework: both
outcome: warning
cause: untracked_variable
line: 43
variables: [dense/kernel, dense/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense, Lambda
from tensorflow.keras.models import Model
np.random.seed(0)
tf.random.set_seed(0)

input = Input(shape=(4,))
x = Dense(4, activation='relu')(input)
model1 = Model(inputs=input, outputs=x)
model1.compile(optimizer='rmsprop',
               loss='categorical_crossentropy',
               metrics=['accuracy'])


def apply_n_times(model, n):
    def apply(x):
        for i in range(n):
            x = model(x)
        return x
    return apply


input2 = Input(shape=(4,))
x2 = Lambda(apply_n_times(model1, 3))(input2)

model2 = Model(inputs=input2, outputs=x2)
model2.compile(optimizer='rmsprop',
               loss='categorical_crossentropy',
               metrics=['accuracy'])

print("model1 weights:", len(model1.weights), "model2 weights:", len(model2.weights))
kernel_before = model1.get_weights()[0].copy()
X = np.random.rand(32, 4).astype("float32")
Y = np.eye(4)[np.random.randint(0, 4, 32)].astype("float32")
model2.fit(X, Y, epochs=2, batch_size=8, verbose=0)
print("model1 kernel changed:", not np.allclose(kernel_before, model1.get_weights()[0]))
