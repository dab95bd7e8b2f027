"""Speech-enhancement model compiled with a custom loss that adds an external quality score to the MSE: the loss converts y_pred with .numpy(), writes it to a file for an evaluation tool and reads the score back; inside model.fit the step is a compiled function, so the .numpy() call fails before training starts.

---
source: https://github.com/keras-team/keras/issues/12057
framework: both
outcome: error
cause: numpy_conversion
line: 28
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tempfile
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K

file_wave = os.path.join(tempfile.mkdtemp(), "data.raw.npy")


def readresult():
    # stands in for running './tools/EVAL +16000 data.raw' and parsing its output
    samples = np.load(file_wave)
    return float(np.mean(np.abs(samples)))


def mse_my_loss(y_true, y_pred):
    Q1 = K.mean(K.square(y_pred - y_true), axis=-1)
    y_in = y_pred.numpy()
    np.save(file_wave, y_in)          # librosa.output.write_wav(file_wave, y_in, 16000)
    loss = readresult()
    return Q1 + loss


model = tf.keras.Sequential([
    tf.keras.Input((64,)),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(64, activation="tanh"),
])
model.compile(optimizer="adam", loss=mse_my_loss)

noisy = np.random.randn(16, 64).astype(np.float32)
clean = np.random.randn(16, 64).astype(np.float32)
model.fit(noisy, clean, epochs=1, batch_size=8, verbose=0)
print("trained")
