"""Assertions for a model's own tests.

    from gradtrace.testing import assert_trainable

    def test_every_layer_learns():
        assert_trainable(build_model(), x, y)
"""
from __future__ import annotations

from gradtrace.report import Report


def assert_trainable(model, x, y=None, **kwargs) -> Report:
    """Fail (with the rendered report) unless every trainable variable of `model` gets a
    present, finite and non-zero gradient from one forward and backward pass."""
    __tracebackhide__ = True  # pytest: show the caller's line, not this one
    from gradtrace.api import check_model

    report = check_model(model, x, y, **kwargs)
    report.raise_for_problems()
    return report
