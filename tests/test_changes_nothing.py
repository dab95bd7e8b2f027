"""gradtrace never changes the user's results, and leaves no patch behind on any exit path."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from case_files import environment

SCRIPTS = Path(__file__).parent / "scripts"


def _stdout(command, framework):
    done = subprocess.run(command, capture_output=True, text=True, cwd=SCRIPTS,
                          env=environment(framework), timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["keras3", "keras2"])
@pytest.mark.parametrize("mode", ["eager", "function", "fit", "fit_eagerly", "custom_step"])
def test_losses_are_bit_identical_under_gradtrace(mode, framework):
    script = str(SCRIPTS / "seeded_training.py")
    plain = _stdout([sys.executable, script, mode], framework)
    traced = _stdout([sys.executable, "-m", "gradtrace", "run", script, mode], framework)
    assert traced == plain
    assert "losses" in plain and "after" in plain


# --------------------------------------------------------------- patches undone
def _tensorflow_state():
    import keras
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
    from keras.src.layers.layer import Layer
    from keras.src.trainers.trainer import Trainer
    from tensorflow.python.eager import backprop, context
    from tensorflow.python.framework import ops
    from tensorflow.python.ops import custom_gradient, variables

    del keras
    tape = backprop.GradientTape
    return {
        "tape": [tape.__dict__[n] for n in ("__enter__", "__exit__", "gradient", "watch")],
        "variable": variables.VariableMetaclass.__dict__["__call__"],
        "eager": [ops._EagerTensorBase.__dict__[n]
                  for n in ("numpy", "__array__", "__float__", "__int__", "__index__")],
        "custom": [custom_gradient._eager_mode_decorator, custom_gradient._graph_mode_decorator],
        "keras": [TensorFlowTrainer.__dict__[n] for n in ("predict", "predict_on_batch", "fit")]
        + [Trainer.__dict__["compile"], Layer.__dict__["trainable"]],
        "callbacks": list(context.context().op_callbacks),
        "meta_path": list(sys.meta_path),
        "argv": list(sys.argv),
        "path": list(sys.path),
    }


@pytest.mark.parametrize("script, args, exit_code", [
    ("seeded_training.py", ["eager"], 0),
    ("raises.py", [], 1),
    ("exits.py", ["4"], 4),
    ("interrupted.py", [], 130),
])
def test_every_patch_is_undone_on_every_exit_path(script, args, exit_code, capsys):
    from gradtrace.runner import run_script

    before = _tensorflow_state()
    result = run_script(str(SCRIPTS / script), args)
    assert result.exit_code == exit_code
    assert _tensorflow_state() == before
    assert result.internal_errors == []


@pytest.mark.slow
def test_our_own_recomputation_adds_no_warning_to_the_users_output():
    script = SCRIPTS / "one_unit_softmax_fit.py"
    done = subprocess.run([sys.executable, "-m", "gradtrace", "run", str(script)],
                          capture_output=True, text=True, cwd=SCRIPTS,
                          env=environment("keras3"), timeout=600)
    assert "zero_gradient" in done.stdout + done.stderr  # the recomputation did run
    ours = [line for line in done.stderr.splitlines()
            if "Warning" in line and f"gradtrace{os.sep}" in line]
    assert ours == []
