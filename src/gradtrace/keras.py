"""`GradientMonitor`: a Keras callback that watches the gradients while `fit` trains.

    model.fit(x, y, callbacks=[gradtrace.keras.GradientMonitor(every=100)])

On the first batch and then every `every` batches it computes the gradient of the
compiled loss on one training batch, per trainable variable, and reports variables
whose gradient is None, exactly zero, non-finite, or vanishing (its norm below
`vanishing` times the variable's own norm, `patience` checks in a row). Missing
gradients are explained with the same analysis as `gradtrace run`.

It never changes training: the check is a separate forward and backward pass in
inference mode (no dropout mask drawn, no BatchNormalization statistic updated, no
random number taken), no update is applied, and the loss metric's state is put back.
With the same seeds, weights after `fit` are bit-identical with and without it.
"""
from __future__ import annotations

import sys
import warnings

import numpy as np

from gradtrace.report import GradientError, Report, VariableGradient, gradient_status

ON_PROBLEM = ("warn", "raise", "stop")


class GradientProblemWarning(UserWarning):
    """A GradientMonitor found variables whose gradient is missing or degenerate."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.render())
        self.report = report


class _Monitor:
    """The callback's logic, independent of which Keras supplies the base class."""

    def __init__(self, data=None, every: int = 100, on_problem: str = "warn",
                 vanishing: float = 1e-7, patience: int = 3, batch_size: int | None = None):
        if on_problem not in ON_PROBLEM:
            raise ValueError(f"on_problem must be one of {ON_PROBLEM}, not {on_problem!r}")
        if every < 1:
            raise ValueError("every must be a positive number of batches")
        super().__init__()
        self.data = data
        self.every = every
        self.on_problem = on_problem
        self.vanishing = vanishing
        self.patience = patience
        self.batch_size = batch_size
        self.reports: list[Report] = []  # one per check that found a problem
        self._batch = None
        self._low_streak: dict[str, int] = {}
        self._seen = 0
        self._reported: set[tuple[str, str]] = set()

    # Keras hooks --------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._batch = self._sample_batch()
        self._seen = 0

    def on_train_batch_end(self, batch, logs=None):
        due = self._seen % self.every == 0
        self._seen += 1
        if due and self._batch is not None:
            self._check(*self._batch)

    # -------------------------------------------------------------------------
    def _sample_batch(self):
        """The batch to check: `data`, or the first batch of the arrays given to fit()."""
        data = self.data if self.data is not None else _fit_arrays()
        if data is None:
            warnings.warn("GradientMonitor: no batch to check. Pass data=(x, y) (fit was "
                          "given a dataset or generator, which it will not read twice).",
                          stacklevel=3)
            return None
        x, y = (data[0], data[1]) if isinstance(data, (tuple, list)) and len(data) >= 2 \
            else (data, None)
        size = self.batch_size or 32
        return _head(x, size), _head(y, size)

    def _check(self, x, y) -> None:
        statuses = self._gradient_statuses(x, y)
        problems = [s for s in statuses if s.status != "ok"]
        fresh = [s for s in problems if (s.name, s.status) not in self._reported]
        if not fresh:
            return
        self._reported.update((s.name, s.status) for s in fresh)
        report = Report(variables=statuses, subject=getattr(self.model, "name", "model"))
        if any(s.status == "none" for s in fresh):
            report.findings = self._explain(x, y)
        self.reports.append(report)
        self._act(report)

    def _gradient_statuses(self, x, y) -> list[VariableGradient]:
        import tensorflow as tf

        from gradtrace.api import _as_tensor, _loss_function

        model = self.model
        saved = [(v, np.array(v.numpy())) for m in model.metrics for v in m.variables]
        try:
            loss_fn = _loss_function(model, None)
            y_true = tf.nest.map_structure(_as_tensor, y)
            with tf.GradientTape() as tape:
                loss = loss_fn(y_true, model(x, training=False), None)
            variables = model.trainable_variables
            grads = tape.gradient(loss, variables)
        finally:
            for variable, value in saved:
                variable.assign(value)
        return [self._status(v, g) for v, g in zip(variables, grads)]

    def _status(self, variable, grad) -> VariableGradient:
        """The gradient's status, and `vanishing` after `patience` low checks in a row."""
        status = gradient_status(getattr(variable, "path", None) or variable.name, grad)
        if status.status != "ok":
            return status
        weight_norm = float(np.linalg.norm(np.asarray(variable.numpy(), dtype=np.float64)))
        low = status.norm < self.vanishing * max(weight_norm, 1.0)
        name = status.name
        streak = self._low_streak[name] = self._low_streak.get(name, 0) + 1 if low else 0
        if streak >= self.patience:
            status.status = "vanishing"
        return status

    def _explain(self, x, y):
        from gradtrace.api import check_model

        return check_model(self.model, x, y, training=False).findings

    def _act(self, report: Report) -> None:
        if self.on_problem == "raise":
            raise GradientError(report)
        warnings.warn(GradientProblemWarning(report), stacklevel=2)
        if self.on_problem == "stop":
            self.model.stop_training = True


def _head(value, size):
    if value is None:
        return None
    import tensorflow as tf

    return tf.nest.map_structure(lambda a: a[:size], value)


def _fit_arrays():
    """The x and y given to the running fit(), if they are arrays (read, never iterated)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "fit" and "x" in frame.f_locals:
            x, y = frame.f_locals.get("x"), frame.f_locals.get("y")
            if _is_array_like(x):
                return x, y
            return None
        frame = frame.f_back
    return None


def _is_array_like(value) -> bool:
    import tensorflow as tf

    leaves = tf.nest.flatten(value)
    return bool(leaves) and all(hasattr(a, "shape") and hasattr(a, "__getitem__")
                                and not hasattr(a, "element_spec") for a in leaves)


_classes: dict[type, type] = {}


def __getattr__(name):
    """`GradientMonitor` subclasses the Callback of the Keras that `tf.keras` is (Keras 3,
    or tf-keras under TF_USE_LEGACY_KERAS=1), built on first use."""
    if name != "GradientMonitor":
        raise AttributeError(f"module 'gradtrace.keras' has no attribute {name!r}")
    import tensorflow as tf

    base = tf.keras.callbacks.Callback
    if base not in _classes:
        _classes[base] = type("GradientMonitor", (_Monitor, base), {
            "__doc__": __doc__, "__module__": __name__})
    return _classes[base]
