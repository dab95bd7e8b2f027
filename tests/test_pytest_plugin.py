"""`assert gradtrace.check_model(...).ok` in a user's test fails with the whole report,
through the plugin pytest loads from the `pytest11` entry point (no configuration)."""
import pytest

pytestmark = pytest.mark.slow

USER_TEST = '''
import numpy as np
import tensorflow as tf
import gradtrace


def build(cut):
    inputs = tf.keras.Input((3,))
    hidden = tf.keras.layers.Dense(2, name="encoder")(inputs)
    if cut:
        hidden = tf.keras.layers.Lambda(tf.stop_gradient)(hidden)
    return tf.keras.Model(inputs, tf.keras.layers.Dense(1, name="head")(hidden))


def test_model_trains():
    x, y = np.ones((4, 3), np.float32), np.ones((4, 1), np.float32)
    assert gradtrace.check_model(build(cut=True), x, y, loss="mse").ok


def test_healthy_model_trains():
    x, y = np.ones((4, 3), np.float32), np.ones((4, 1), np.float32)
    assert gradtrace.check_model(build(cut=False), x, y, loss="mse").ok
'''


def test_failed_check_shows_the_gradtrace_report(pytester, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    pytester.makepyfile(test_user_model=USER_TEST)
    result = pytester.runpytest_subprocess("-p", "no:xdist", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines([
        "*- gradtrace -*",
        "gradtrace: gradient problems for *: 2 none.",
        "error[[]stop_gradient[]]: *",
        "*encoder/kernel*",
    ])
