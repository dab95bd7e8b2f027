"""Reading the runnable programs (shared cases and our own) and their expected diagnosis."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
def _shared_folder() -> Path:
    """The team's shared folder: beside this checkout, or at its home on these machines."""
    for candidate in (ROOT.parent / "shared", Path("/work/shared")):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared"


SHARED = _shared_folder()
SHARED_CASES = Path(os.environ.get("GRADTRACE_CASES", SHARED / "cases"))
OWN_PROGRAMS = ROOT / "tests" / "programs"
SHARED_REALWORLD = SHARED_CASES / "realworld"
REALWORLD = ROOT / "tests" / "realworld"


@dataclass
class Case:
    path: Path
    framework: str
    outcome: str
    cause: str
    lines: list[int] = field(default_factory=list)
    also: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    static: bool = True
    xfail: dict[str, str] = field(default_factory=dict)  # framework -> why it is not right yet

    @property
    def healthy(self) -> bool:
        return self.cause == "none"

    def frameworks(self) -> list[str]:
        return {"both": ["keras3", "keras2"], "keras3": ["keras3"], "keras2": ["keras2"]}[self.framework]


def load_case(path: Path) -> Case:
    docstring = ast.get_docstring(ast.parse(path.read_text())) or ""
    meta = yaml.safe_load(docstring.split("\n---\n", 1)[1])
    lines = meta.get("line", [])
    return Case(
        path=path, framework=meta["framework"], outcome=meta["outcome"], cause=meta["cause"],
        lines=lines if isinstance(lines, list) else [lines], also=meta.get("also") or [],
        variables=meta.get("variables") or [], static=meta.get("static", True),
        xfail=_xfail_reasons(meta.get("xfail"), meta["framework"]),
    )


def _xfail_reasons(value, framework: str) -> dict[str, str]:
    """`xfail: reason` (every framework the case runs under) or `xfail: {keras2: reason}`."""
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    names = {"both": ["keras3", "keras2"]}.get(framework, [framework])
    return {name: str(value) for name in names}


def load_cases(folder: Path) -> list[Case]:
    if not folder.is_dir():
        return []
    return [load_case(p) for p in sorted(folder.glob("*.py")) if "\n---\n" in p.read_text()]


def environment(framework: str) -> dict[str, str]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
    env.pop("GRADTRACE_DEBUG", None)
    if framework == "keras2":
        env["TF_USE_LEGACY_KERAS"] = "1"
    else:
        env.pop("TF_USE_LEGACY_KERAS", None)
    return env


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    report: dict | None


def run_gradtrace(script: Path, framework: str, tmp_path: Path, *extra: str) -> Run:
    output = tmp_path / f"{script.stem}.{framework}.json"
    command = [sys.executable, "-m", "gradtrace", "run", "--format", "json", "--output",
               str(output), *extra, str(script)]
    done = subprocess.run(command, capture_output=True, text=True, env=environment(framework),
                          cwd=script.parent, timeout=600)
    report = json.loads(output.read_text()) if output.exists() else None
    return Run(done.returncode, done.stdout, done.stderr, report)


def judge(case: Case, framework: str, run: Run, plain: Run | None = None) -> str:
    """Why the diagnosis is wrong, or "" when it is right. A failing program is right when
    its first finding has the expected cause (or one of the `also` causes, fair answers
    too), points at one of the expected lines of the program and names every expected
    variable; a healthy one when nothing is reported and
    it behaves as under `python` (`plain`, when given)."""
    if run.report is None:
        return f"no JSON report; stderr:\n{run.stderr[-3000:]}"
    if "internal error" in run.stderr:
        return f"gradtrace internal error:\n{run.stderr[-3000:]}"
    findings = run.report["findings"]
    if case.healthy:
        if findings:
            return f"false alarm on a healthy program: {findings[0]['cause']} " \
                   f"at line {(findings[0]['location'] or {}).get('line')}"
        if plain is not None and (run.returncode, run.stdout) != (plain.returncode, plain.stdout):
            return f"exit {run.returncode} (python: {plain.returncode}) or its output differs"
        if run.returncode != 0:
            return f"exit {run.returncode} on a healthy program"
        return ""
    if not findings:
        return "nothing found"
    first = findings[0]
    location = first["location"] or {}
    got = f"got {first['cause']} at line {location.get('line')}"
    if first["cause"] != case.cause and first["cause"] not in case.also:
        return f"cause: expected {case.cause}, {got}"
    if location.get("file") != str(case.path) or location.get("line") not in case.lines:
        return f"line: expected {case.lines}, {got} in {location.get('file')}"
    missing = [v for v in case.variables if not any(v in name for name in first["variables"])]
    if missing:
        return f"variables: {missing} not among {first['variables'][:6]}"
    if not (first["fix"] and first["title"] and first["message"]):
        return "the finding has no fix, title or message"
    expected_exit = 1 if first["severity"] == "error" or case.outcome == "error" else 0
    if run.returncode != expected_exit:
        return f"exit {run.returncode}, expected {expected_exit}"
    return ""


def framework_in_turn(case: Case) -> str:
    """The one framework a program of our own runs under in the suite, the same each time
    and spread evenly over the corpus by its name."""
    frameworks = case.frameworks()
    return frameworks[zlib.crc32(case.path.stem.encode()) % len(frameworks)]


def suite_frameworks(case: Case) -> list[str]:
    """The frameworks the suite runs a program of our own under. A program that never
    touches Keras runs the same under both, so once; one whose expectation differs by
    framework (an xfail under one of them) runs under both; any other once, under
    `framework_in_turn` (`bench/accuracy.py` runs every one under both, and so does the
    suite with GRADTRACE_SUITE=full)."""
    frameworks = case.frameworks()
    if os.environ.get("GRADTRACE_SUITE") == "full" or len(frameworks) == 1:
        return frameworks
    if "keras" not in case.path.read_text().lower():
        return frameworks[:1]
    if len(set(case.xfail.get(f) for f in frameworks)) > 1:
        return frameworks
    return [framework_in_turn(case)]


def needs_plain_run(case: Case, framework: str) -> bool:
    """Whether judging the run needs the program's own output: a healthy program's must be
    unchanged. That is compared under one of its frameworks, the same one each time (the
    no-side-effect tests compare both, bit for bit, on programs of their own). A failing
    program's exit status under `python` is its `outcome`: 1 for an error, else 0;
    gradtrace exits 1 on an error finding, else as the program."""
    return case.healthy and framework == framework_in_turn(case)


def diagnose_and_judge(case: Case, framework: str, tmp_path: Path) -> str:
    run = run_gradtrace(case.path, framework, tmp_path)
    plain = run_plain(case.path, framework) if needs_plain_run(case, framework) else None
    return judge(case, framework, run, plain)


def run_plain(script: Path, framework: str) -> Run:
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=environment(framework), cwd=script.parent, timeout=600)
    return Run(done.returncode, done.stdout, done.stderr, None)


LINT_XFAIL_FILE = REALWORLD / "lint_xfail.json"


def lint_xfail_reasons() -> dict[str, str]:
    """Programs whose cause the source shows but `gradtrace lint` does not find yet, by
    file name, with what it would need to follow (tests/realworld/lint_xfail.json)."""
    if not LINT_XFAIL_FILE.exists():
        return {}
    return json.loads(LINT_XFAIL_FILE.read_text())["programs"]


def lint_visible(case: Case) -> str:
    """"" when the program's cause can be seen in its source, else why only a run sees it."""
    from gradtrace.lint.rules import RUN_ONLY

    if case.healthy:
        return ""
    if case.cause in RUN_ONLY:
        return f"{case.cause}: {RUN_ONLY[case.cause]}"
    if not case.static:
        return f"{case.cause} is visible only by running this program (static: false)"
    return ""


def lint_judge(case: Case) -> str:
    """Why `gradtrace lint` is wrong on the program, or "" when it is right: a healthy
    program gets no finding; a failing one's first finding has its cause (or an `also`
    cause) at one of its lines. Judge only programs whose cause is lint-visible."""
    from gradtrace.lint import lint_paths

    found = lint_paths([str(case.path)])
    if found.errors:
        return f"lint could not read it: {found.errors[0]}"
    findings = [f.finding for f in found.findings]
    if case.healthy:
        return f"false alarm: {findings[0].cause} at line {findings[0].location.line}" \
            if findings else ""
    if not findings:
        return "nothing found"
    first = findings[0]
    if first.cause != case.cause and first.cause not in case.also:
        return f"cause: expected {case.cause}, got {first.cause} at line {first.location.line}"
    if first.location.line not in case.lines:
        return f"line: expected {case.lines}, got {first.cause} at line {first.location.line}"
    return ""
