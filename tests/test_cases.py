"""Every shared case, and every program of our own, diagnosed by `gradtrace run --format json`.

A failing program is right when its first finding has the expected cause, points at one
of the expected lines of the program, and names every expected variable. A healthy one
is right when nothing is reported and its output and exit status are those of `python`.
"""
from __future__ import annotations

import pytest

from case_files import (OWN_PROGRAMS, REALWORLD, SHARED_CASES, SHARED_REALWORLD, Case,
                        diagnose_and_judge, load_cases, suite_frameworks)

pytestmark = pytest.mark.slow

# Where a shared case's expectation disagrees with what the program really does, the
# disagreement is stated here (and reported to the case owners) instead of bent around.
KNOWN_CASE_ERRORS: dict[str, str] = {}


def _params(folder, own: bool = False):
    """One test per case and framework; a case not diagnosed right yet says why in its
    `xfail:` key (strict: a fix must remove it). A shared case runs under each framework
    it names; a program of our own (`own`) under those `suite_frameworks` picks, so that
    the suite's time does not grow twice as fast as the corpus."""
    params = []
    for case in load_cases(folder):
        frameworks = suite_frameworks(case) if own else case.frameworks()
        for framework in frameworks:
            marks = []
            reason = case.xfail.get(framework) or KNOWN_CASE_ERRORS.get(case.path.stem)
            if reason:
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
            params.append(pytest.param(case, framework, id=f"{case.path.stem}-{framework}",
                                       marks=marks))
    return params


def check_diagnosis(case: Case, framework: str, tmp_path) -> None:
    verdict = diagnose_and_judge(case, framework, tmp_path)
    assert not verdict, verdict


@pytest.mark.parametrize("case, framework", _params(SHARED_CASES))
def test_shared_case_is_diagnosed(case, framework, tmp_path):
    check_diagnosis(case, framework, tmp_path)


@pytest.mark.parametrize("case, framework", _params(OWN_PROGRAMS, own=True))
def test_own_program_is_diagnosed(case, framework, tmp_path):
    check_diagnosis(case, framework, tmp_path)


@pytest.mark.parametrize("case, framework", _params(SHARED_REALWORLD))
def test_shared_realworld_case_is_diagnosed(case, framework, tmp_path):
    check_diagnosis(case, framework, tmp_path)


@pytest.mark.parametrize("case, framework", _params(REALWORLD, own=True))
def test_realworld_program_is_diagnosed(case, framework, tmp_path):
    check_diagnosis(case, framework, tmp_path)


def test_shared_cases_are_present():
    if not SHARED_CASES.is_dir():
        pytest.skip(f"the shared cases are not here ({SHARED_CASES})")
    assert load_cases(SHARED_CASES), f"no cases found in {SHARED_CASES}"


def test_realworld_readme_is_current():
    """tests/realworld/README.md lists every program as its YAML says (index.py writes it)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("realworld_index", REALWORLD / "index.py")
    index = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(index)
    assert (REALWORLD / "README.md").read_text() == index.readme(), \
        "run `python tests/realworld/index.py`"
