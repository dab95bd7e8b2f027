"""The linter's reports: text (ruff-like lines), JSON (run's finding shape plus `code`),
and SARIF 2.1.0 for GitHub code scanning."""
from __future__ import annotations

import json
from pathlib import Path

from gradtrace import __version__
from gradtrace.catalogue import CAUSES
from gradtrace.lint import LintResult
from gradtrace.lint.rules import RULES, SYNTAX_ERROR

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render_text(result: LintResult) -> str:
    lines = []
    for error in result.errors:
        lines.append(f"{error.file}:{error.line}:1: {SYNTAX_ERROR} {error.message}")
    for item in result.findings:
        loc = item.finding.location
        lines.append(f"{loc.file}:{loc.line}:{item.column}: {item.code} "
                     f"[{item.finding.cause}] {item.finding.message}")
        if loc.code:
            lines.append(f"    {loc.line} | {loc.code}")
    count = len(result.findings)
    summary = (f"Found {count} problem{'s' * (count != 1)} in {result.files} file"
               f"{'s' * (result.files != 1)}." if count else
               f"No gradient problems found in {result.files} file"
               f"{'s' * (result.files != 1)}.")
    if result.errors:
        summary += f" {len(result.errors)} file(s) could not be read."
    if count:
        summary += " `gradtrace rule CODE` explains each rule."
    return "\n".join(lines + [summary]) + "\n"


def render_json(result: LintResult) -> str:
    return json.dumps({"findings": [f.to_dict() for f in result.findings],
                       "errors": [e.to_dict() for e in result.errors]}, indent=2) + "\n"


def render_sarif(result: LintResult) -> str:
    used = sorted({f.code for f in result.findings})
    rules = [_sarif_rule(RULES[code]) for code in used]
    index = {code: i for i, code in enumerate(used)}
    results = [{
        "ruleId": item.code,
        "ruleIndex": index[item.code],
        "level": "error" if item.finding.severity == "error" else "warning",
        "message": {"text": item.finding.message},
        "locations": [_location(item.finding.location.file, item.finding.location.line,
                                item.column)],
    } for item in result.findings]
    notifications = [{
        "level": "error", "message": {"text": error.message},
        "locations": [_location(error.file, error.line, 1)],
    } for error in result.errors]
    run = {
        "tool": {"driver": {
            "name": "gradtrace", "version": __version__, "semanticVersion": __version__,
            "informationUri": "https://pypi.org/project/gradtrace/", "rules": rules}},
        "results": results,
        "invocations": [{"executionSuccessful": True,
                         "toolExecutionNotifications": notifications}],
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]},
                      indent=2) + "\n"


def _sarif_rule(rule) -> dict:
    cause = CAUSES[rule.cause]
    return {
        "id": rule.code,
        "name": rule.cause,
        "shortDescription": {"text": cause.title},
        "fullDescription": {"text": cause.what},
        "help": {"text": f"{cause.why}\n\nFix: {cause.fix}", "markdown": rule.page()},
        "defaultConfiguration": {"level": "error" if cause.severity == "error" else "warning"},
    }


def _location(file: str, line: int, column: int) -> dict:
    uri = Path(file).as_posix()
    return {"physicalLocation": {"artifactLocation": {"uri": uri},
                                 "region": {"startLine": max(line, 1),
                                            "startColumn": max(column, 1)}}}
