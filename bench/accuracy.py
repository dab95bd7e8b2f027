"""How often gradtrace is right on a folder of case programs, judged as the tests judge.

    python bench/accuracy.py [FOLDER|FILE ...] [--jobs N] [--only keras3|keras2]
    python bench/accuracy.py --lint [FOLDER|FILE ...]

Each FOLDER holds programs in the case format (a YAML block after `---` in the module
docstring: framework, cause, line, variables; see ../shared/cases/README.md). Every program
runs under `gradtrace run --format json` for each framework it names. A failing program is
right when the first finding has its cause, one of its lines and its variables; a healthy
one (cause: none) when nothing is reported. Prints one line per run, then the figures:
failing runs right, false alarms on healthy runs. Without FOLDER: the shared cases, their
real-world reproductions, and tests/programs and tests/realworld.

With --lint, `gradtrace lint` is judged instead, without running anything: a failing
program whose cause its source shows is right when lint's first finding has its cause at
one of its lines; programs whose cause only a run can see are counted apart.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from case_files import (  # noqa: E402
    OWN_PROGRAMS, REALWORLD, SHARED_CASES, SHARED_REALWORLD, diagnose_and_judge, lint_judge,
    lint_visible, load_case, load_cases,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=lambda p: Path(p).resolve())
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--only", choices=["keras3", "keras2"])
    parser.add_argument("--lint", action="store_true", help="judge `gradtrace lint`")
    args = parser.parse_args(argv)
    folders = args.folders or [SHARED_CASES, SHARED_REALWORLD, OWN_PROGRAMS, REALWORLD]
    cases = [case for path in folders
             for case in (load_cases(path) if path.is_dir() else [load_case(path)])]
    if args.lint:
        return lint_figures(cases)
    runs = [(case, framework) for case in cases for framework in case.frameworks()
            if args.only in (None, framework)]
    tally: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        verdicts = pool.map(lambda run: diagnose_and_judge(*run, Path(tmp)), runs)
        for (case, framework), verdict in zip(runs, verdicts):
            kind = "healthy" if case.healthy else "failing"
            tally[kind, not verdict] += 1
            mark = "ok  " if not verdict else "MISS" if kind == "failing" else "FALSE ALARM"
            print(f"{mark} {case.path.parent.name}/{case.path.name} [{framework}]"
                  + (f": {verdict.splitlines()[0]}" if verdict else ""), flush=True)
    failing = tally["failing", True] + tally["failing", False]
    healthy = tally["healthy", True] + tally["healthy", False]
    print(f"\nfailing runs right: {tally['failing', True]} of {failing}"
          + (f" ({100 * tally['failing', True] / failing:.0f} %)" if failing else ""))
    print(f"false alarms: {tally['healthy', False]} of {healthy} healthy runs")
    return 0


def lint_figures(cases) -> int:
    tally: Counter = Counter()
    for case in cases:
        where = f"{case.path.parent.name}/{case.path.name}"
        if lint_visible(case):
            tally["run only"] += 1
            continue
        verdict = lint_judge(case)
        kind = "healthy" if case.healthy else "failing"
        tally[kind, not verdict] += 1
        mark = "ok  " if not verdict else "MISS" if kind == "failing" else "FALSE ALARM"
        print(f"{mark} {where}" + (f": {verdict}" if verdict else ""), flush=True)
    failing = tally["failing", True] + tally["failing", False]
    healthy = tally["healthy", True] + tally["healthy", False]
    print(f"\nsource-visible failing programs right: {tally['failing', True]} of {failing}"
          + (f" ({100 * tally['failing', True] / failing:.0f} %)" if failing else ""))
    print(f"false alarms: {tally['healthy', False]} of {healthy} healthy programs")
    print(f"programs whose cause only a run shows (not judged): {tally['run only']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
