"""Every shared case through the in-code entry points `explain()` and `check()`, under
Keras 3 and, where the case says so, Keras 2: the same diagnosis as `gradtrace run`."""
import json
import subprocess
import sys

import pytest

from case_files import ROOT, SHARED_CASES, environment, load_cases
from test_cases import KNOWN_CASE_ERRORS

pytestmark = pytest.mark.slow
DRIVER = ROOT / "tests" / "drive_api.py"


MODES = ("explain", "check")


def _params():
    """Each case's runs go through the entry points in turn: a case run under both
    Kerases meets both, and so do the causes that have several cases. (The two share
    the recorder and the analysis; every run through both doubled the suite's slowest
    part.)"""
    params = []
    for turn, (case, framework) in enumerate(
            (case, framework) for case in load_cases(SHARED_CASES)
            for framework in case.frameworks()):
        mode = MODES[turn % 2]
        marks = []
        if case.path.stem in KNOWN_CASE_ERRORS:
            marks.append(pytest.mark.xfail(reason=KNOWN_CASE_ERRORS[case.path.stem],
                                           strict=True))
        params.append(pytest.param(case, framework, mode, marks=marks,
                                   id=f"{case.path.stem}-{framework}-{mode}"))
    return params


def drive(mode, case, framework, tmp_path) -> dict:
    output = tmp_path / "result.json"
    done = subprocess.run([sys.executable, str(DRIVER), mode, str(case.path), str(output)],
                          capture_output=True, text=True, env=environment(framework),
                          cwd=case.path.parent, timeout=600)
    assert output.exists(), done.stderr[-3000:]
    return json.loads(output.read_text())


@pytest.mark.parametrize("case, framework, mode", _params())
def test_entry_point_gives_the_case_diagnosis(case, framework, mode, tmp_path):
    result = drive(mode, case, framework, tmp_path)
    findings = result["findings"] or result.get("warning_findings") or []
    if case.healthy:
        assert findings == [] and result["notes"] == [] and result["warnings"] == []
        assert result["exception"] is None
        if mode == "check":
            assert result["ok"] is True
        return
    assert findings, result
    first = findings[0]
    assert first["cause"] == case.cause, findings
    assert first["location"]["file"] == str(case.path) and first["location"]["line"] in case.lines
    for expected in case.variables:
        assert any(expected in name for name in first["variables"]), first["variables"]
    if mode == "explain" and result["exception"] is not None:
        assert any(first["title"] in note for note in result["notes"]), result["notes"]
    if mode == "check":
        assert result["ok"] is False
