"""Shared by the whole suite."""
import pytest

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def no_internal_errors(monkeypatch):
    """An exception inside gradtrace (recording or analysing) is a bug: it fails the test
    that triggered it, whatever the test itself checks. Tests that run gradtrace in a
    subprocess check its stderr instead (case_files.judge)."""
    from gradtrace.record.recorder import Recorder

    made = []
    original = Recorder.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Recorder, "__init__", __init__)
    yield
    errors = [repr(exc) for recorder in made for exc in recorder.internal_errors]
    assert not errors, f"gradtrace internal error(s): {errors}"
