"""`gradtrace run` runs a script the way `python SCRIPT ARGS` does, and says clearly what
is wrong with bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from case_files import environment

SCRIPTS = Path(__file__).parent / "scripts"


def gradtrace(*args, cwd=SCRIPTS, framework="keras3"):
    return subprocess.run([sys.executable, "-m", "gradtrace", *args], capture_output=True,
                          text=True, cwd=cwd, env=environment(framework), timeout=600)


def python(*args, cwd=SCRIPTS, framework="keras3"):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          env=environment(framework), timeout=600)


def assert_usage_error(done, *words):
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gradtrace: error:"), done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0]


def test_missing_script_is_a_usage_error(tmp_path):
    assert_usage_error(gradtrace("run", str(tmp_path / "nope.py")), "nope.py", "no such file")


def test_directory_without_main_is_a_usage_error(tmp_path):
    assert_usage_error(gradtrace("run", str(tmp_path)), "directory")


def test_directory_with_main_runs_like_python(tmp_path):
    (tmp_path / "__main__.py").write_text("print('from main')\n")
    done = gradtrace("run", str(tmp_path))
    assert done.returncode == 0 and done.stdout == "from main\n"


def test_syntax_error_names_file_and_line(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("x = 1\nif x\n    print(x)\n")
    assert_usage_error(gradtrace("run", str(script)), "broken.py:2", "not valid Python")


def test_binary_file_is_not_a_script(tmp_path):
    blob = tmp_path / "model.h5"
    blob.write_bytes(b"\x89HDF\r\n\x1a\n\x00\x00\x00\x00")
    assert_usage_error(gradtrace("run", str(blob)), "not a Python script")


def test_text_file_that_is_not_python(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Train the model, then look at the loss curve.\n")
    assert_usage_error(gradtrace("run", str(notes)), "not valid Python")


def test_no_command_prints_help():
    done = gradtrace()
    assert done.returncode == 2 and "run" in done.stderr


def test_unrelated_exception_passes_through_untouched():
    plain = python("raises.py", "a", "b")
    traced = gradtrace("run", "raises.py", "a", "b")
    assert traced.returncode == plain.returncode == 1
    assert traced.stdout == plain.stdout
    assert traced.stderr.startswith(plain.stderr), (plain.stderr, traced.stderr)
    assert "gradtrace/" not in traced.stderr and "runpy" not in traced.stderr


def test_unrelated_exception_has_no_findings(tmp_path):
    report = tmp_path / "r.json"
    done = gradtrace("run", "--format", "json", "--output", str(report), "raises.py")
    assert done.returncode == 1
    data = json.loads(report.read_text())
    assert data["findings"] == [] and data["exit_code"] == 1
    assert data["exception"]["type"] == "ValueError"


@pytest.mark.parametrize("status", ["0", "3"])
def test_exit_status_of_the_script_is_kept(status):
    done = gradtrace("run", "exits.py", status)
    assert done.returncode == int(status)
    assert done.stdout == f"exiting with {status}\n"


def test_script_sees_what_python_would_give_it():
    plain = python("environment.py", "--lr", "0.1")
    traced = gradtrace("run", "environment.py", "--lr", "0.1")
    assert traced.stdout == plain.stdout
    assert "tensorflow imported False" in traced.stdout  # gradtrace imports no TensorFlow itself


def test_script_may_choose_keras_2_before_importing_tensorflow():
    plain = python("legacy_keras_set_in_script.py")
    traced = gradtrace("run", "legacy_keras_set_in_script.py")
    assert traced.stdout == plain.stdout == "keras module tf_keras\n"


def test_json_on_stdout_keeps_the_scripts_prints_out_of_it():
    done = gradtrace("run", "--format", "json", "environment.py")
    data = json.loads(done.stdout)
    assert data["exit_code"] == 0 and data["findings"] == []
    assert "main block ran" in done.stderr


def test_keyboard_interrupt_exits_130():
    done = gradtrace("run", "interrupted.py")
    assert done.returncode == 130
    assert "KeyboardInterrupt" in done.stderr
