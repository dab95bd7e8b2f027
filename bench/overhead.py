"""Overhead of `gradtrace run` against plain `python`, as ratios measured in one session.

Runs each program alternately under `python` and under `gradtrace run` (interleaved, so
that a noisy neighbour slows both alike) and prints medians and their ratios:

  eager loop       300-step eager GradientTape loop; time of the loop itself
  fit              MobileNetV2(weights=None).fit on random images; time of fit()
  diagnosis        MobileNetV2 with a broken loss: from fit() to the printed diagnosis
                   (gradtrace) against fit() to the printed error (python); the extra time
                   is compared with one plain training step of the healthy model

Usage: python bench/overhead.py [--repeat N] [--only eager|fit|diagnosis]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROGRAMS = Path(__file__).resolve().parent / "programs"


def run(program: str, traced: bool, **env: str) -> tuple[dict[str, list[float]], float]:
    """Run a program; return what it wrote to BENCH_RESULT and when its report was
    printed: the `gradtrace:` diagnosis under gradtrace, the error line under python
    (the end of the process if neither is printed)."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as result:
        command = [sys.executable, *(["-m", "gradtrace", "run"] if traced else []),
                   str(PROGRAMS / program)]
        environment = dict(os.environ, BENCH_RESULT=result.name, TF_CPP_MIN_LOG_LEVEL="3", **env)
        process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        ended = None
        for line in process.stderr:
            marker = "gradtrace: " if traced else "ValueError: "
            if ended is None and line.startswith(marker):
                ended = time.time()
        process.wait()
        ended = ended or time.time()
        values = {}
        for line in Path(result.name).read_text().splitlines():
            key, *numbers = line.split()
            values[key] = [float(n) for n in numbers]
        return values, ended


def eager_loop(repeat: int) -> None:
    plain, traced = [], []
    for _ in range(repeat):
        plain.append(run("eager_loop.py", False)[0]["elapsed"][0])
        traced.append(run("eager_loop.py", True)[0]["elapsed"][0])
    report("eager loop, 300 steps", plain, traced)


def fit(repeat: int) -> float:
    plain, traced, steps = [], [], []
    for _ in range(repeat):
        values, _ = run("mobilenet_fit.py", False)
        plain.append(values["fit_seconds"][0])
        steps.extend(values["batch_seconds"][2:])  # steady state: past the traced first batch
        traced.append(run("mobilenet_fit.py", True)[0]["fit_seconds"][0])
    report("MobileNetV2 fit, 2 epochs", plain, traced)
    return statistics.median(steps)


def diagnosis(repeat: int, step: float) -> None:
    plain, traced = [], []
    for _ in range(repeat):
        values, ended = run("mobilenet_fit.py", False, BROKEN="1")
        plain.append(ended - values["fit_started"][0])
        values, ended = run("mobilenet_fit.py", True, BROKEN="1")
        traced.append(ended - values["fit_started"][0])
    extra = statistics.median(traced) - statistics.median(plain)
    print(f"{'broken fit: fit() to printed report':<40} python {statistics.median(plain):7.2f}s"
          f"   gradtrace {statistics.median(traced):7.2f}s")
    print(f"{'time to diagnosis (extra over python)':<40} {extra:7.2f}s = {extra / step:.2f}x "
          f"one plain training step ({step * 1000:.0f} ms)")


def report(name: str, plain: list[float], traced: list[float]) -> None:
    a, b = statistics.median(plain), statistics.median(traced)
    print(f"{name:<40} python {a:7.2f}s   gradtrace {b:7.2f}s   ratio {b / a:.3f}x"
          f"   (median of {len(plain)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("eager", "fit", "diagnosis"))
    args = parser.parse_args()
    if args.only in (None, "eager"):
        eager_loop(args.repeat)
    if args.only in (None, "fit"):
        step = fit(args.repeat)
    if args.only == "diagnosis":  # one plain step's time, from a healthy run without gradtrace
        step = statistics.median(run("mobilenet_fit.py", False)[0]["batch_seconds"][2:])
    if args.only in (None, "diagnosis"):
        diagnosis(args.repeat, step)


if __name__ == "__main__":
    main()
