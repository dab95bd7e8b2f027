"""FGSM attack on an LSTM eye-state classifier (afraarslan/adversarial-attacks,
eye-data-prediction notebook; issue #1). The user watches the test inputs `X_tf` and
takes `mean_squared_error(X_tf, predictions)`, where `predictions` are the model's
hard class labels (`predict_classes`, here written out as `(predict > 0.5)` cast to
int32). Keras' mean_squared_error casts `y_true` to the dtype of `y_pred`, so the
watched float input is cast to int32 inside the loss and the gradient stops there:
`tape.gradient` returns None and `tf.sign(gradientFunction)` raises "Attempt to
convert a value (None)". Beyond the dtype, the loss never runs the model inside the
tape; an attack needs `model(X_tf)` under the tape and a loss against the true labels.
---
source: https://github.com/afraarslan/adversarial-attacks/issues/1
framework: both
outcome: error
cause: integer_cast
also: [outside_tape]
line: 52
variables: [X_tf]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense, Dropout, LSTM
from tensorflow.keras.models import Sequential
from tensorflow.keras.losses import MSE as mean_squared_error  # keras.losses.mean_squared_error
from tensorflow.keras import optimizers

tf.keras.utils.set_random_seed(0)

X_train = np.random.normal(size=(64, 14, 1)).astype("float32")
Y_train = np.random.randint(0, 2, size=(64, 1))
X_test = np.random.normal(size=(32, 14, 1)).astype("float32")
Y_test = np.random.randint(0, 2, size=(32, 1))

# LSTM model
model = Sequential()
model.add(LSTM(16, input_shape=(X_train.shape[1], 1)))
model.add(Dropout(0.15))
model.add(Dense(1, activation="sigmoid"))
adam_modified = optimizers.Adam(learning_rate=0.005, beta_1=0.7, beta_2=0.9, amsgrad=False)
model.compile(loss="binary_crossentropy", optimizer=adam_modified, metrics=["accuracy"])
model.fit(X_train, Y_train, epochs=1, verbose=0)

# model.predict_classes(X_test) in the original (removed from Keras)
predictions = (model.predict(X_test, verbose=0) > 0.5).astype("int32")
Y_test = Y_test.astype('int32')
predictions = predictions[:, 0]
Y_test = Y_test[:, 0]

X_tf = tf.convert_to_tensor(X_test, dtype=tf.float32)
with tf.GradientTape() as tape:
    tape.watch(X_tf)
    lossFunction = mean_squared_error(X_tf, predictions)
gradientFunction = tape.gradient(lossFunction, X_tf)
print("gradient:", gradientFunction)
signed_grad = tf.sign(gradientFunction)
perturbed_data = X_test + 0.2 * signed_grad
X_perturbed = perturbed_data.numpy()
