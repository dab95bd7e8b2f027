"""Adversarial attack on a small keyword-spotting classifier: the audio perturbation goes through
gen_audio_ops.audio_spectrogram and gen_audio_ops.mfcc before the Keras model, and the gradient of the
loss with respect to the perturbation is asked for; the Mfcc kernel has no registered gradient.

---
source: https://github.com/tensorflow/tensorflow/issues/40135
framework: both
outcome: error
cause: nondifferentiable_op
line: [28, 26]
variables: [adv_delta]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.python.ops import gen_audio_ops as contrib_audio

sample_rate, clip_samples = 16000, 4000
window_size_samples, window_stride_samples, dct_coefficient_count = 480, 160, 13
num_labels = 4


def extract_mfcc(audio):
    # audio: [samples, 1] in [-1, 1]
    spectrogram = contrib_audio.audio_spectrogram(audio, window_size=window_size_samples,
                                                  stride=window_stride_samples, magnitude_squared=True)
    mfcc = contrib_audio.mfcc(spectrogram, sample_rate, dct_coefficient_count=dct_coefficient_count)
    return mfcc


n_frames = 1 + (clip_samples - window_size_samples) // window_stride_samples
model = tf.keras.Sequential([
    tf.keras.Input((n_frames, dct_coefficient_count)),
    tf.keras.layers.Conv1D(16, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling1D(),
    tf.keras.layers.Dense(num_labels),
])

audio = tf.constant(np.random.uniform(-0.5, 0.5, (clip_samples, 1)).astype(np.float32))
target = tf.constant([2])
adv_delta = tf.Variable(tf.zeros_like(audio), name="adv_delta")
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-3)

for step in range(3):
    with tf.GradientTape() as tape:
        adv_audio = tf.clip_by_value(audio + adv_delta, -1.0, 1.0)
        logits = model(extract_mfcc(adv_audio))
        loss = loss_fn(target, logits)
    grad = tape.gradient(loss, adv_delta)
    optimizer.apply_gradients([(grad, adv_delta)])
    print("step", step, float(loss))
