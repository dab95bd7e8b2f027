"""`gradtrace lint` on the real-world corpus: every healthy program gets no finding;
every program whose cause its source shows is flagged with that cause at one of its
lines, or is listed in tests/realworld/lint_xfail.json with what lint would need (a
strict xfail: a program lint starts to get right must leave the list)."""
import pytest

from case_files import (
    REALWORLD, SHARED_REALWORLD, lint_judge, lint_visible, lint_xfail_reasons, load_cases,
)

XFAIL = lint_xfail_reasons()


def _programs():
    params = []
    for folder in (REALWORLD, SHARED_REALWORLD):
        for case in load_cases(folder):
            marks = []
            if case.path.name in XFAIL:
                marks = [pytest.mark.xfail(strict=True, reason=XFAIL[case.path.name])]
            params.append(pytest.param(case, id=f"{folder.name}/{case.path.stem}", marks=marks))
    return params


@pytest.mark.parametrize("case", _programs())
def test_lint_on_a_real_program(case):
    hidden = lint_visible(case)
    if hidden:
        pytest.skip(hidden)
    verdict = lint_judge(case)
    assert not verdict, verdict


def test_every_listed_program_exists():
    names = {case.path.name for folder in (REALWORLD, SHARED_REALWORLD)
             for case in load_cases(folder)}
    assert set(XFAIL) <= names, sorted(set(XFAIL) - names)
