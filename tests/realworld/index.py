"""Writes README.md of this folder: what the corpus is, and one row per program.

    python tests/realworld/index.py

The rows come from each program's YAML block (see ../../../shared/cases/README.md), so
the README never disagrees with the programs; a test checks that it is current.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from case_files import load_cases  # noqa: E402

INTRO = """# Real-world corpus

Each program reproduces one public report (a GitHub issue or a Q&A thread, cited in its
`source:` key), shrunk to run on a CPU in seconds with random data, in the format of the
shared cases (`../../../shared/cases/README.md`); the `healthy_*` programs are adapted from
public training code (keras.io examples, TensorFlow tutorials, well-known repositories) and
must get no finding. Every program was run on TensorFlow 2.21 with Keras 3.15 and, where it
says `keras2` or `both`, with tf-keras 2.21, and shows its symptom there.

`tests/test_cases.py` runs them all under `gradtrace run --format json`. A program that
gradtrace does not diagnose right yet carries `xfail:` with the reason (a string, or one
per framework: `xfail: {keras2: "..."}`); the test is then a strict xfail, so a fix must
remove it. `python bench/accuracy.py tests/realworld` prints the figures with the same
judge; it takes any folder of programs in this format, yours included.

This file is written by `python tests/realworld/index.py`.
"""


def readme() -> str:
    rows = ["| program | cause | framework | outcome | source | not right yet |",
            "| --- | --- | --- | --- | --- | --- |"]
    for case in load_cases(HERE):
        source = _source(case.path)
        xfail = "; ".join(f"{k}: {v}" for k, v in case.xfail.items())
        rows.append(f"| `{case.path.name}` | {case.cause} | {case.framework} | {case.outcome} "
                    f"| {source} | {xfail} |")
    failing = sum(1 for c in load_cases(HERE) if not c.healthy)
    healthy = sum(1 for c in load_cases(HERE) if c.healthy)
    counts = f"\n{failing} failing programs, {healthy} healthy ones.\n\n"
    return INTRO + counts + "\n".join(rows) + "\n"


def _source(path: Path) -> str:
    for line in path.read_text().splitlines():
        if line.startswith("source:"):
            return line.split(":", 1)[1].strip()
    return ""


if __name__ == "__main__":
    (HERE / "README.md").write_text(readme())
