"""pytest plugin (registered through the `pytest11` entry point, no configuration).

When a test fails, every gradtrace Report with problems that the test made is added to
pytest's output as a "gradtrace" section, so `assert check_model(m, x, y).ok` fails with
the whole diagnosis, not only `assert False`.
"""
from __future__ import annotations

import pytest

from gradtrace import report as report_module


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    report_module.start_collecting()
    try:
        yield
    finally:
        item._gradtrace_reports = report_module.stop_collecting()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    test_report = outcome.get_result()
    if call.when != "call" or not test_report.failed:
        return
    for made in getattr(item, "_gradtrace_reports", []):
        if not made.ok:
            test_report.sections.append(("gradtrace", made.render()))
