"""Chooses Keras 2 itself, before importing TensorFlow, as many scripts do."""
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"
import tensorflow as tf  # noqa: E402

print("keras module", tf.keras.layers.Dense.__module__.split(".")[0])
