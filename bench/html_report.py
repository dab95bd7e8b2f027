"""How long the HTML report takes for a large model, against the text report of the same
findings, in one process.

Runs a ResNet50 (weights=None) program whose loss goes through argmax (214 variables
without a gradient, a 176-layer picture) under the recorder: bench/programs/
resnet50_broken_loss.py (eager tape) or, with --fit, resnet50_fit_broken_loss.py (a traced
train step). Then renders its findings repeatedly as text and as HTML with each layout
engine and prints the medians and their ratios to the text report and to the run itself.
Also writes the pages to --out (default: a temporary folder).

Usage: python bench/html_report.py [--fit] [--repeat N] [--out DIR]
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
PROGRAMS = Path(__file__).resolve().parent / "programs"


def median_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fit", action="store_true", help="the model.fit program")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=tempfile.mkdtemp(prefix="gradtrace-bench-"))
    options = parser.parse_args()
    Path(options.out).mkdir(parents=True, exist_ok=True)

    from gradtrace.render.html_report import full_page
    from gradtrace.render.text import make_console, render_text
    from gradtrace.runner import run_script

    start = time.perf_counter()
    program = "resnet50_fit_broken_loss.py" if options.fit else "resnet50_broken_loss.py"
    result = run_script(str(PROGRAMS / program), [])
    run_seconds = time.perf_counter() - start
    finding = result.findings[0]
    print(f"run: {run_seconds:.1f} s; {finding.cause}, {len(finding.variables)} variables, "
          f"{len(finding.graph.ops)} ops in the picture", file=sys.stderr)

    def text() -> None:
        render_text(result, make_console(io.StringIO()))

    text_seconds = median_time(text, options.repeat)
    print(f"text report       {text_seconds * 1000:8.0f} ms")
    engines = ["builtin"] + (["dot"] if shutil.which("dot") else [])
    for engine in engines:
        os.environ["GRADTRACE_GRAPH_ENGINE"] = engine
        start = time.perf_counter()
        page = full_page(result)  # the first one resolves the traced ops' source lines
        print(f"html ({engine:7}) {(time.perf_counter() - start) * 1000:8.0f} ms  first page",
              file=sys.stderr)
        Path(options.out, f"resnet50-{engine}.html").write_text(page, encoding="utf-8")
        seconds = median_time(lambda: full_page(result), options.repeat)
        print(f"html ({engine:7}) {seconds * 1000:8.0f} ms  {seconds / text_seconds:6.1f}x text"
              f"  {seconds / run_seconds:6.3f}x the run  {len(page) / 1e6:.2f} MB")
    print(f"pages in {options.out}")


if __name__ == "__main__":
    main()
