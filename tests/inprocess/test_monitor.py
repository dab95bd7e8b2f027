"""gradtrace.keras.GradientMonitor during model.fit."""
import warnings

import numpy as np
import pytest
import tensorflow as tf

import gradtrace
from gradtrace.keras import GradientMonitor, GradientProblemWarning

keras = tf.keras


def build(kind="healthy"):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6,))
    hidden = keras.layers.Dense(16, activation="relu", name="trunk")(inputs)
    hidden = keras.layers.BatchNormalization(name="norm")(hidden)
    hidden = keras.layers.Dropout(0.2, name="drop")(hidden)
    main = keras.layers.Dense(1, name="main")(hidden)
    if kind == "unused_head":
        aux = keras.layers.Dense(3, name="aux")(hidden)
        model = keras.Model(inputs, {"main": main, "aux": aux}, name="two_heads")
        model.compile("adam", {"main": "mse"})
        return model
    if kind == "zero":
        main = keras.layers.Lambda(lambda t: t * 0.0, name="times_zero")(main)
    if kind == "nan":
        main = keras.layers.Lambda(lambda t: tf.sqrt(t - 1e6), name="sqrt_negative")(main)
    model = keras.Model(inputs, main, name=kind)
    model.compile("adam", "mse")
    return model


def data(kind="healthy"):
    rng = np.random.default_rng(0)
    x = rng.random((256, 6), dtype=np.float32)
    y = rng.random((256, 1), dtype=np.float32)
    if kind == "unused_head":
        return x, {"main": y, "aux": np.zeros((256, 3), np.float32)}
    return x, y


def fit(kind, callbacks):
    model = build(kind)
    x, y = data(kind)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=callbacks)
    problems = [w.message for w in caught if isinstance(w.message, GradientProblemWarning)]
    return model, problems


def test_monitor_leaves_training_bit_identical():
    plain, _ = fit("healthy", [])
    monitored, problems = fit("healthy", [GradientMonitor(every=2)])
    assert problems == []
    for a, b in zip(plain.weights, monitored.weights):
        assert np.array_equal(a.numpy(), b.numpy()), a.name


def test_monitor_reports_variables_without_gradient_and_why():
    monitor = GradientMonitor(every=4)
    _, problems = fit("unused_head", [monitor])
    assert len(problems) == 1, "reported once, not at every check"
    report = problems[0].report
    assert {v.name.split("/")[-2] for v in report.problems()} == {"aux"}
    assert report.findings[0].cause == "unused_variable"
    assert monitor.reports == [report]


@pytest.mark.parametrize("kind, status", [("zero", "zero"), ("nan", "nonfinite")])
def test_monitor_reports_zero_and_nonfinite_gradients(kind, status):
    _, problems = fit(kind, [GradientMonitor(every=8)])
    assert problems, "nothing reported"
    statuses = {v.status for v in problems[0].report.variables}
    assert status in statuses


def test_monitor_can_raise_or_stop():
    with pytest.raises(gradtrace.GradientError, match="aux"):
        fit("unused_head", [GradientMonitor(on_problem="raise")])
    model, problems = fit("unused_head", [GradientMonitor(on_problem="stop")])
    assert problems and model.stop_training


def test_monitor_vanishing_needs_patience():
    monitor = GradientMonitor(every=1, vanishing=1e9, patience=3)
    _, problems = fit("healthy", [monitor])
    assert problems and {v.status for v in problems[0].report.variables} == {"vanishing"}
    assert monitor._seen >= 3


def test_monitor_rejects_bad_options():
    with pytest.raises(ValueError, match="on_problem"):
        GradientMonitor(on_problem="explode")
    with pytest.raises(ValueError, match="every"):
        GradientMonitor(every=0)
