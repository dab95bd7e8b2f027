"""gradtrace.check / check_model / explain / Report / testing, in this process."""
import json
import warnings

import numpy as np
import pytest
import tensorflow as tf

import gradtrace
from gradtrace.testing import assert_trainable

keras = tf.keras


def small_model(name="net", layer_name=None):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(8, activation="relu", name=layer_name or "hidden")(inputs)
    hidden = keras.layers.BatchNormalization(name="norm")(hidden, training=None)
    hidden = keras.layers.Dropout(0.3, name="drop")(hidden)
    model = keras.Model(inputs, keras.layers.Dense(1, name="out")(hidden), name=name)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def data():
    rng = np.random.default_rng(1)
    return rng.random((16, 4), dtype=np.float32), rng.random((16, 1), dtype=np.float32)


def state_of(model):
    """Everything a check must leave alone, as NumPy arrays."""
    values = {f"var:{v.path if hasattr(v, 'path') else v.name}": np.array(v.numpy())
              for v in model.variables}
    optimizer = model.optimizer
    for i, v in enumerate(optimizer.variables):
        values[f"opt:{i}"] = np.array(v.numpy())
    for metric in model.metrics:
        for i, v in enumerate(metric.variables):
            values[f"metric:{metric.name}:{i}"] = np.array(v.numpy())
    return values


def draws():
    """What the random streams give next: TF's global and op-seeded streams, NumPy's,
    Keras 3's global seed generator."""
    return (tf.random.normal((3,)).numpy(), np.random.rand(2),
            tf.random.get_global_generator().normal((2,)).numpy(),
            keras.random.normal((2,)).numpy() if hasattr(keras, "random") else None)


def test_check_model_reports_every_variable_ok_on_a_healthy_model():
    model = small_model()
    x, y = data()
    report = gradtrace.check_model(model, x, y)
    assert report.ok, report.render()
    assert [v.status for v in report.variables] == ["ok"] * len(model.trainable_variables)
    assert all(v.norm and v.norm > 0 for v in report.variables)
    assert any(v.layer.endswith("hidden") for v in report.variables)


def test_check_model_names_the_cut_variables_and_cause():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    frozen_path = keras.layers.Dense(3, name="encoder")(inputs)
    cut = keras.layers.Lambda(tf.stop_gradient, name="cut")(frozen_path)
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(cut), name="cutnet")
    x, y = data()
    report = gradtrace.check_model(model, x, y, loss="mse")
    assert not report.ok
    statuses = {v.name.split("/")[-2]: v.status for v in report.variables}
    assert statuses == {"encoder": "none", "head": "ok"}
    assert report.findings[0].cause == "stop_gradient"
    with pytest.raises(gradtrace.GradientError, match="stop_gradient"):
        report.raise_for_problems()


def test_check_model_without_a_loss_says_how_to_give_one():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="loss="):
        gradtrace.check_model(model, *data())


def test_check_of_an_updating_step_changes_nothing_bit_for_bit():
    model = small_model()
    x, y = data()
    model.fit(x, y, epochs=1, verbose=0)  # optimizer slots, metrics, statistics all exist
    optimizer = model.optimizer

    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        model.evaluate(x, y, verbose=0)  # metrics' state too
        return (tf.random.normal((1,)) + np.random.rand()
                + tf.random.get_global_generator().normal((1,))
                + (keras.random.normal((1,)) if hasattr(keras, "random") else 0.0))

    keras.utils.set_random_seed(3)
    tf.random.set_global_generator(tf.random.Generator.from_seed(3))
    before = state_of(model)
    report = gradtrace.check(step, x, y)
    after = state_of(model)
    after_draws = draws()
    assert report.ok, report.render()
    assert before.keys() == after.keys()
    for key in before:
        assert np.array_equal(before[key], after[key]), key
    keras.utils.set_random_seed(3)
    tf.random.set_global_generator(tf.random.Generator.from_seed(3))
    expected_draws = draws()
    for got, expected in zip(after_draws, expected_draws):
        if expected is not None:
            np.testing.assert_array_equal(got, expected)


def test_check_model_changes_nothing_bit_for_bit():
    model = small_model()
    x, y = data()
    model.fit(x, y, epochs=1, verbose=0)
    before = state_of(model)
    assert gradtrace.check_model(model, x, y).ok
    after = state_of(model)
    for key in before:
        assert np.array_equal(before[key], after[key]), key


def test_check_retraces_an_already_traced_step_to_see_its_gradient():
    model = small_model()
    x, y = data()

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.round(model(x, training=True)) - y)
        return tape.gradient(loss, model.trainable_variables)

    step(x, y)  # traced before the check
    report = gradtrace.check(step, x, y)
    assert not report.ok
    assert report.findings[0].cause == "nondifferentiable_op"
    assert "tf.round" in report.findings[0].location.code
    assert {v.status for v in report.variables} == {"none"}


def test_explain_attaches_the_diagnosis_to_the_exception():
    model = small_model()
    x, y = data()
    with pytest.raises(ValueError) as raised:
        with gradtrace.explain():
            with tf.GradientTape() as tape:
                loss = np.mean((model(x).numpy() - y) ** 2)
            grads = tape.gradient(tf.constant(loss), model.trainable_variables)
            model.optimizer.apply_gradients(zip(grads, model.trainable_variables))
    notes = "\n".join(getattr(raised.value, "__notes__", []))
    assert "error[numpy_conversion]" in notes
    assert "model(x).numpy()" in notes


def test_explain_as_a_decorator_warns_on_a_none_gradient_and_goes_on():
    x = tf.constant([[1.0, 2.0]])
    model = small_model()

    @gradtrace.explain()
    def saliency():
        with tf.GradientTape() as tape:
            score = tf.reduce_sum(model(tf.concat([x, x], axis=1)))
        return tape.gradient(score, x)

    with pytest.warns(gradtrace.GradientWarning, match="unwatched_tensor"):
        assert saliency() is None


def test_explain_leaves_unrelated_exceptions_and_healthy_code_alone(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(KeyError) as raised:
            with gradtrace.explain():
                {}["missing"]
        assert not getattr(raised.value, "__notes__", None)
        model = small_model()
        with gradtrace.explain():
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(model(data()[0]))
            assert all(g is not None for g in tape.gradient(loss, model.trainable_variables))
    assert capsys.readouterr() == ("", "")


def test_report_json_has_run_schema_and_the_variable_table():
    model = small_model()
    report = gradtrace.check_model(model, *data())
    data_ = json.loads(report.to_json())
    assert {"gradtrace", "tensorflow", "keras", "findings", "exception"} <= set(data_)
    assert data_["findings"] == []
    assert {v["status"] for v in data_["variables_checked"]} == {"ok"}


def test_report_html_escapes_user_strings():
    evil = "<img src=x onerror=alert(1)>"
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    cut = keras.layers.Lambda(tf.stop_gradient)(keras.layers.Dense(2, name="enc")(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1)(cut), name="m")
    report = gradtrace.check_model(model, *data(), loss="mse")
    report.subject = evil
    page = report._repr_html_()
    assert evil not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "stop_gradient" in page


def test_assert_trainable_passes_healthy_and_fails_with_the_report():
    x, y = data()
    assert assert_trainable(small_model(), x, y).ok
    frozen = small_model()
    frozen.get_layer("hidden").trainable = False
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    dead = keras.layers.Dense(2, name="dead")(inputs)
    model = keras.Model(inputs, [keras.layers.Dense(1, name="live")(inputs), dead], name="two")
    with pytest.raises(AssertionError, match="dead"):
        assert_trainable(model, x, [y, np.zeros((16, 2), np.float32)],
                         loss=lambda t, p: tf.reduce_mean(tf.square(p[0] - t[0])))


def test_report_saves_a_standalone_html_page(tmp_path):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    cut = keras.layers.Lambda(tf.stop_gradient)(keras.layers.Dense(2, name="enc")(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1)(cut), name="m")
    report = gradtrace.check_model(model, *data(), loss="mse")
    path = tmp_path / "report.html"
    report.save_html(path)
    page = path.read_text()
    assert page.startswith("<!DOCTYPE html>") and "stop_gradient" in page
    assert "<table>" in page and "none" in page


def test_explain_follows_an_assign_inside_a_called_tf_function():
    """A `@tf.function` helper called inside the tape stores a value computed from `w`
    into a buffer that the loss reads back: the cut is the assign inside the helper's
    graph, where the eager tape sees one call op."""
    w = tf.Variable(2.0, name="w")
    buffer = tf.Variable(0.0, name="buffer")

    @tf.function
    def store(value):
        buffer.assign(value * 3.0)

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            store(w * 1.0)
            loss = buffer * 2.0
        return tape.gradient(loss, w)

    with pytest.warns(gradtrace.GradientWarning, match="variable_assign"):
        assert step() is None
