"""Every shared case, and every program of our own, diagnosed by `gradtrace run --format json`.

A failing program is right when its first finding has the expected cause, points at one
of the expected lines of the program, and names every expected variable. A healthy one
is right when nothing is reported and its output and exit status are those of `python`.
"""
from __future__ import annotations

import pytest

from case_files import OWN_PROGRAMS, SHARED_CASES, Case, load_cases, run_gradtrace, run_plain

pytestmark = pytest.mark.slow

# Where a shared case's expectation disagrees with what the program really does, the
# disagreement is stated here (and reported to the case owners) instead of bent around.
KNOWN_CASE_ERRORS = {
    "gan_swapped_variables": "expects line 32, a comment; the tape.gradient call asking for "
    "the wrong variables is on line 33",
}


def _params(folder):
    params = []
    for case in load_cases(folder):
        for framework in case.frameworks():
            marks = []
            reason = KNOWN_CASE_ERRORS.get(case.path.stem)
            if reason and folder == SHARED_CASES:
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
            params.append(pytest.param(case, framework, id=f"{case.path.stem}-{framework}",
                                       marks=marks))
    return params


def check_diagnosis(case: Case, framework: str, tmp_path) -> None:
    run = run_gradtrace(case.path, framework, tmp_path)
    assert run.report is not None, f"no JSON report; stderr:\n{run.stderr[-3000:]}"
    findings = run.report["findings"]
    assert "internal error" not in run.stderr, run.stderr[-3000:]
    if case.healthy:
        plain = run_plain(case.path, framework)
        assert findings == [], f"false alarm on a healthy program: {findings}"
        assert run.returncode == plain.returncode == 0
        assert run.stdout == plain.stdout
        return
    assert findings, f"nothing found; stderr:\n{run.stderr[-3000:]}"
    first = findings[0]
    assert first["cause"] == case.cause, findings
    location = first["location"]
    assert location is not None and location["file"] == str(case.path), first
    assert location["line"] in case.lines, first
    for expected in case.variables:
        assert any(expected in name for name in first["variables"]), (expected, first["variables"])
    assert first["fix"] and first["title"] and first["message"]
    expected_exit = 1 if first["severity"] == "error" else run_plain(case.path, framework).returncode
    assert run.returncode == expected_exit


@pytest.mark.parametrize("case, framework", _params(SHARED_CASES))
def test_shared_case_is_diagnosed(case, framework, tmp_path):
    check_diagnosis(case, framework, tmp_path)


@pytest.mark.parametrize("case, framework", _params(OWN_PROGRAMS))
def test_own_program_is_diagnosed(case, framework, tmp_path):
    check_diagnosis(case, framework, tmp_path)


def test_shared_cases_are_present():
    if not SHARED_CASES.is_dir():
        pytest.skip(f"the shared cases are not here ({SHARED_CASES})")
    assert load_cases(SHARED_CASES), f"no cases found in {SHARED_CASES}"
