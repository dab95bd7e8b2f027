"""Reading the runnable programs (shared cases and our own) and their expected diagnosis."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
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
    )


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


def run_plain(script: Path, framework: str) -> Run:
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=environment(framework), cwd=script.parent, timeout=600)
    return Run(done.returncode, done.stdout, done.stderr, None)
