"""Overhead of gradtrace.keras.GradientMonitor (default interval) on a 300-batch fit.

Fits the same seeded model alternately without and with the monitor, in this one
process (after a warm-up fit, so tracing is not counted), and prints the medians and
their ratio. Usage: python bench/monitor_overhead.py [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from gradtrace.keras import GradientMonitor  # noqa: E402

BATCHES, BATCH = 300, 32


def build():
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([
        tf.keras.Input((32, 32, 3)),
        tf.keras.layers.Conv2D(32, 3, activation="relu"),
        tf.keras.layers.BatchNormalization(),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(64, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(10),
    ])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def timed_fit(x, y, callbacks) -> float:
    model = build()
    model.fit(x[:BATCH], y[:BATCH], epochs=1, verbose=0)  # trace outside the timing
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False, callbacks=callbacks)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.random((BATCHES * BATCH, 32, 32, 3), dtype=np.float32)
    y = rng.integers(0, 10, size=(BATCHES * BATCH,))
    plain, monitored = [], []
    for _ in range(args.repeat):
        plain.append(timed_fit(x, y, []))
        monitored.append(timed_fit(x, y, [GradientMonitor()]))
    a, b = statistics.median(plain), statistics.median(monitored)
    print(f"{'fit, 300 batches':<40} plain {a:7.2f}s   GradientMonitor() {b:7.2f}s   "
          f"ratio {b / a:.3f}x   (median of {args.repeat})")


if __name__ == "__main__":
    main()
