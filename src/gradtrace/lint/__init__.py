"""`gradtrace lint`: gradient-breaking code found by reading it, never by running it.

Files are read as text and parsed with `ast`; nothing is imported or executed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from gradtrace.findings import Finding, Location
from gradtrace.lint.checker import lint_source
from gradtrace.lint.rules import RULES, SYNTAX_ERROR

SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "env", "__pycache__", "node_modules",
                "build", "dist", "site-packages", ".tox", ".nox", ".mypy_cache",
                ".pytest_cache", ".ruff_cache", ".eggs"}


@dataclass
class LintFinding:
    """A `Finding` (the same as `gradtrace run` makes) plus its rule code."""

    code: str
    finding: Finding
    column: int = 0

    def to_dict(self) -> dict:
        data = self.finding.to_dict()
        data.pop("path", None)  # the run's evidence path; the linter has none
        data["code"] = self.code
        return data


@dataclass
class LintError:
    """A file the linter could not read or parse: reported, and the run goes on."""

    file: str
    line: int
    message: str

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass
class LintResult:
    findings: list[LintFinding] = field(default_factory=list)
    errors: list[LintError] = field(default_factory=list)
    files: int = 0
    lines: int = 0


def python_files(paths: list[str], exclude: list[str] = ()) -> list[Path]:
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.append(path)
            continue
        if not path.is_dir():
            raise FileNotFoundError(raw)
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(
                ".egg-info") and not _excluded(Path(folder, d), exclude))
            found += [Path(folder, f) for f in sorted(files)
                      if f.endswith(".py") and not _excluded(Path(folder, f), exclude)]
    return found


def _excluded(path: Path, patterns) -> bool:
    return any(path.match(p) or p in path.parts for p in patterns)


def lint_paths(paths: list[str], select=None, ignore=(), exclude=(), keras=None) -> LintResult:
    result = LintResult()
    for path in python_files(paths, exclude):
        result.files += 1
        try:
            source = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            result.errors.append(_error(path, 1, f"not UTF-8 text ({exc.reason} at byte "
                                                  f"{exc.start}); file skipped"))
            continue
        except OSError as exc:
            result.errors.append(_error(path, 1, f"cannot read: {exc.strerror}"))
            continue
        result.lines += source.count("\n") + 1
        for diagnostic in lint_source(source, str(path), keras):
            if diagnostic.rule == SYNTAX_ERROR:
                result.errors.append(_error(path, diagnostic.line, diagnostic.message))
            elif _wanted(diagnostic.rule, select, ignore):
                result.findings.append(_finding(path, diagnostic))
    return result


def _wanted(code: str, select, ignore) -> bool:
    def matches(prefixes):
        return any(code.startswith(p) or RULES[code].cause == p for p in prefixes)
    return (not select or matches(select)) and not matches(ignore)


def _finding(path: Path, diagnostic) -> LintFinding:
    rule = RULES[diagnostic.rule]
    location = Location(str(path), diagnostic.line, diagnostic.function)
    return LintFinding(rule.code, Finding(cause=rule.cause, message=diagnostic.message,
                                          location=location, variant=diagnostic.variant),
                       diagnostic.col + 1)


def _error(path: Path, line: int, message: str) -> LintError:
    return LintError(str(path), line, message)
