"""`gradtrace lint` speed against pyflakes on the same large real tree, in one run.

Lints the installed Keras, tf-keras and TensorFlow Python sources (or the folders
given) with both, alternately, and prints lines per second and the ratio.
Usage: python bench/lint_speed.py [--repeat N] [FOLDER ...]
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import statistics
import time
from pathlib import Path

from pyflakes.api import checkPath
from pyflakes.reporter import Reporter

from gradtrace.lint import lint_paths, python_files


def default_tree() -> list[str]:
    folders = []
    for package in ("keras", "tf_keras", "tensorflow"):
        spec = importlib.util.find_spec(package)
        if spec and spec.submodule_search_locations:
            folders.append(next(iter(spec.submodule_search_locations)))
    return folders


def run_pyflakes(files: list[Path]) -> None:
    sink = io.StringIO()
    reporter = Reporter(sink, sink)
    for path in files:
        checkPath(str(path), reporter)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("folders", nargs="*")
    args = parser.parse_args()
    folders = args.folders or default_tree()
    files = [f for folder in folders for f in python_files([folder])]
    lines = sum(f.read_bytes().count(b"\n") for f in files)
    ours, theirs = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = lint_paths(folders)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        run_pyflakes(files)
        theirs.append(time.perf_counter() - start)
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"tree: {len(files)} files, {lines} lines ({', '.join(folders)})")
    print(f"gradtrace lint  {lines / a:10.0f} lines/s   ({a:.1f}s, "
          f"{len(result.findings)} findings)")
    print(f"pyflakes        {lines / b:10.0f} lines/s   ({b:.1f}s)")
    print(f"ratio (gradtrace speed / pyflakes speed): {b / a:.2f}x")


if __name__ == "__main__":
    main()
