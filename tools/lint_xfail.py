"""Regenerate tests/realworld/lint_xfail.json: the corpus programs whose cause is visible
in their source but that `gradtrace lint` does not get right yet.

Programs already listed keep their reason (it says what to build); a newly failing one
gets its cause's reason from REASONS, with what lint says today. Programs lint now gets
right leave the list. Run from the repository root: `.venv/bin/python tools/lint_xfail.py`.
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from case_files import (  # noqa: E402
    LINT_XFAIL_FILE, REALWORLD, SHARED_REALWORLD, lint_judge, lint_visible, load_cases,
)

REASONS = {
    "nondifferentiable_op": "the non-differentiable value reaches the loss through a path the linter does not follow yet",
    "outside_tape": "the tensor is computed outside the tape across objects or callbacks the linter does not follow yet",
    "zero_gradient": "the zero gradient comes from values the linter does not compute",
    "numpy_conversion": "the conversion is reached through a function or value the linter does not follow yet",
    "variable_assign": "the assignment is reached through a method or value the linter does not follow yet",
}
DEFAULT_REASON = "a shape the linter does not read yet"


def main() -> None:
    current = json.loads(LINT_XFAIL_FILE.read_text()) if LINT_XFAIL_FILE.exists() else {}
    known = current.get("programs", {})
    programs = {}
    for folder in (REALWORLD, SHARED_REALWORLD):
        for case in load_cases(folder):
            if case.healthy or lint_visible(case):
                continue
            verdict = lint_judge(case)
            if not verdict:
                continue
            name = case.path.name
            programs[name] = known.get(name) or \
                f"{REASONS.get(case.cause, DEFAULT_REASON)} ({verdict})"
    gone = sorted(set(known) - set(programs))
    added = sorted(set(programs) - set(known))
    LINT_XFAIL_FILE.write_text(json.dumps(
        {"about": current.get("about", ""), "programs": dict(sorted(programs.items()))},
        indent=1) + "\n")
    print(f"{len(programs)} listed; now right: {gone}; newly listed: {added}")


if __name__ == "__main__":
    main()
