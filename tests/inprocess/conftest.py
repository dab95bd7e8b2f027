"""In-process tests of the Python API; they use whichever Keras `tf.keras` is, so
`test_api_keras2.py` runs this folder again under TF_USE_LEGACY_KERAS=1."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
