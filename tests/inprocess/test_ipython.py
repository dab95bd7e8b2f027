"""`%load_ext gradtrace` in a real IPython shell: exceptions carry the diagnosis."""
import pytest

InteractiveShell = pytest.importorskip("IPython.core.interactiveshell").InteractiveShell

SETUP = """
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1, name="out")],
                            name="cellnet")
x = np.ones((4, 3), np.float32)
"""
BROKEN = """
with tf.GradientTape() as tape:
    loss = np.mean(model(x).numpy())
grads = tape.gradient(tf.constant(loss), model.trainable_variables)
tf.keras.optimizers.SGD().apply_gradients(zip(grads, model.trainable_variables))
"""


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "gradtrace")
    yield shell
    shell.run_line_magic("unload_ext", "gradtrace")


def test_cell_exception_carries_the_diagnosis(shell, capsys):
    assert shell.run_cell(SETUP).success
    result = shell.run_cell(BROKEN)
    error = result.error_in_exec
    assert isinstance(error, ValueError)
    notes = "\n".join(getattr(error, "__notes__", []))
    assert "error[numpy_conversion]" in notes and "cellnet/out/kernel" in notes
    shown = capsys.readouterr()
    assert "numpy_conversion" in shown.out + shown.err


def test_healthy_cell_prints_nothing_extra(shell, capsys):
    assert shell.run_cell(SETUP).success
    capsys.readouterr()
    result = shell.run_cell("with tf.GradientTape() as t:\n    l = tf.reduce_sum(model(x))\n"
                            "g = t.gradient(l, model.trainable_variables)\n")
    assert result.success
    assert capsys.readouterr() == ("", "")


def test_report_renders_as_html_in_a_notebook(shell):
    assert shell.run_cell(SETUP).success
    result = shell.run_cell("import gradtrace\n"
                            "gradtrace.check_model(model, x, np.ones((4, 1)), loss='mse')")
    data, _ = shell.display_formatter.format(result.result)
    assert "text/html" in data and "every gradient" in data["text/html"]
