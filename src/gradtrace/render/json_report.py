"""The JSON report of `gradtrace run`."""
from __future__ import annotations

import json

from gradtrace import __version__
from gradtrace.runner import RunResult


def report_dict(result: RunResult) -> dict:
    exc = result.exception
    return {
        "gradtrace": __version__,
        "tensorflow": result.tensorflow_version,
        "keras": result.keras_version,
        "script": result.script,
        "exit_code": result.exit_code,
        "exception": {"type": type(exc).__name__, "message": str(exc)} if exc else None,
        "findings": [finding.to_dict() for finding in result.findings],
    }


def render_json(result: RunResult) -> str:
    return json.dumps(report_dict(result), indent=2) + "\n"
