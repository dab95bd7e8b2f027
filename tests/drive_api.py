"""Runs a case program through one of gradtrace's in-code entry points, in a fresh process.

    python drive_api.py explain|check CASE OUTPUT.json

explain: the program runs as __main__ inside `with gradtrace.explain():`; the output holds
the findings attached to its exception (or carried by GradientWarnings).
check: the whole program is the "step" given to `gradtrace.check(runpy.run_path, ...)`.
"""
import json
import runpy
import sys
import warnings

import gradtrace


def main(mode: str, case: str, output: str) -> None:
    sys.argv = [case]
    result = {"findings": [], "exception": None, "notes": [], "warnings": []}
    if mode == "explain":
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", gradtrace.GradientWarning)
            try:
                with gradtrace.explain():
                    runpy.run_path(case, run_name="__main__")
            except Exception as exc:  # noqa: BLE001
                result["exception"] = type(exc).__name__
                result["notes"] = list(getattr(exc, "__notes__", []))
                report = getattr(exc, "gradtrace_report", None)
                if report is not None:
                    result["findings"] = [f.to_dict() for f in report.findings]
        result["warnings"] = [str(w.message) for w in caught
                              if issubclass(w.category, gradtrace.GradientWarning)]
        result["warning_findings"] = [f.to_dict() for w in caught
                                      for f in getattr(w.message, "findings", [])]
    else:
        report = gradtrace.check(runpy.run_path, case, run_name="__main__")
        result["findings"] = [f.to_dict() for f in report.findings]
        result["exception"] = type(report.exception).__name__ if report.exception else None
        result["ok"] = report.ok
    with open(output, "w") as handle:
        json.dump(result, handle)


if __name__ == "__main__":
    main(*sys.argv[1:4])
