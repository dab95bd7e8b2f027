"""gradtrace from code: `explain()`, `check()` and `check_model()`.

The same recorder and analysis as `gradtrace run`, around a block, one call of a
training step, or one forward and backward pass of a model.
"""
from __future__ import annotations

import contextlib
import functools
import sys
import warnings

from gradtrace.record.recorder import Recorder
from gradtrace.report import Report, VariableGradient
from gradtrace.runner import collect_findings
from gradtrace.state import save_state


class GradientWarning(UserWarning):
    """A gradient came back None (or all zero, or non-finite) inside `explain()`."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.render(summary=False))
        self.report = report
        self.findings = report.findings


class explain(contextlib.ContextDecorator):
    """Explain missing gradients in a block or a function.

        with gradtrace.explain():
            train_step(x, y)

    An exception whose roots are missing gradients leaves the block with the diagnosis
    attached (a PEP 678 note, shown under the traceback; on Python 3.10, which does not
    show notes, the diagnosis is also printed to stderr). Any other exception passes
    through untouched. A `tape.gradient` that returns None while the block goes on is
    reported as a `GradientWarning`. Nothing is printed when nothing is wrong.
    """

    def __init__(self) -> None:
        self._recorders: list[Recorder] = []

    def __enter__(self) -> "explain":
        self._recorders.append(Recorder().start())
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        recorder = self._recorders.pop()
        recorder.stop()
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            return False
        report = Report(collect_findings(recorder, exc), exception=exc)
        if not report.findings:
            return False
        if exc is not None:
            _attach(exc, report)
        else:
            warnings.warn(GradientWarning(report), stacklevel=2)
        return False


def _attach(exc: BaseException, report: Report) -> None:
    text = report.render(summary=False)
    exc.gradtrace_report = report
    if hasattr(exc, "add_note"):
        exc.add_note(text)
    else:  # Python 3.10: notes exist only by convention, and tracebacks do not show them
        exc.__notes__ = [*getattr(exc, "__notes__", []), text]
        print(text, file=sys.stderr)


def check(fn, *args, **kwargs) -> Report:
    """Run one call of `fn(*args, **kwargs)` (a training step) and report on its gradients,
    without raising; everything the call changed (weights, optimizer state, statistics,
    metrics, random streams) is restored afterwards."""
    fn = _fresh_trace(fn)
    saved = save_state()
    recorder = Recorder()
    recorder.keep_gradients = True
    exception = None
    try:
        with recorder:
            try:
                fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001  (reported, not raised)
                exception = exc
    finally:
        saved.restore()
    findings = collect_findings(recorder, exception)
    variables = _merge_statuses(recorder.gradients)
    return Report(findings, variables, exception, subject=_name_of(fn))


def _fresh_trace(fn):
    """An already traced tf.function runs its graph without tracing again, and so
    without showing how its gradient was built: check a new trace of the same code."""
    python_function = getattr(fn, "python_function", None)
    tf = sys.modules.get("tensorflow")
    if python_function is None or tf is None:
        return fn
    options = {}
    jit = getattr(fn, "_jit_compile", None)
    if jit is not None:
        options["jit_compile"] = jit
    bound_self = getattr(fn, "__self__", None)
    fresh = tf.function(python_function, **options)
    return functools.partial(fresh, bound_self) if bound_self is not None else fresh


def _merge_statuses(calls: list[list[VariableGradient]]) -> list[VariableGradient]:
    """One row per variable over all the step's gradient calls (a GAN asks two)."""
    rank = {"nonfinite": 3, "none": 2, "zero": 1, "ok": 0}
    merged: dict[str, VariableGradient] = {}
    for statuses in calls:
        for status in statuses:
            known = merged.get(status.name)
            if known is None or (known.status == "none" and status.status != "none"):
                merged[status.name] = status
            elif status.status != "none" and rank[status.status] > rank[known.status]:
                merged[status.name] = status
    return list(merged.values())


def _name_of(fn) -> str:
    fn = getattr(fn, "func", fn)
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)


def check_model(model, x, y=None, *, loss=None, sample_weight=None, training=True) -> Report:
    """One forward and backward pass of `model` on `(x, y)` with its compiled loss (or
    `loss`), applying no update; a report on every trainable variable's gradient.
    Weights, optimizer, BatchNormalization statistics, metrics and random streams are
    left exactly as they were."""
    import tensorflow as tf

    loss_fn = _loss_function(model, loss)
    y, sample_weight = (tf.nest.map_structure(_as_tensor, v) if v is not None else None
                        for v in (y, sample_weight))

    def forward_backward():
        with tf.GradientTape() as tape:
            prediction = model(x, training=training)
            value = loss_fn(y, prediction, sample_weight)
        return tape.gradient(value, model.trainable_variables)

    report = check(forward_backward)
    report.subject = getattr(model, "name", type(model).__name__)
    return report


def _as_tensor(value):
    """Compiled losses expect tensors (fit() converts NumPy batches itself)."""
    import tensorflow as tf

    return value if tf.is_tensor(value) or value is None else tf.convert_to_tensor(value)


def _loss_function(model, loss):
    """`loss(y_true, y_pred, sample_weight)` from the argument or from compile()."""
    if loss is not None:
        function = _keras_loss(loss)
        return lambda y, p, w: function(y, p, sample_weight=w) if w is not None \
            else function(y, p)
    if getattr(model, "compiled_loss", None) is not None and not _is_keras3(model):
        return lambda y, p, w: model.compiled_loss(y, p, w, regularization_losses=model.losses)
    if getattr(model, "_compile_loss", None) is not None:  # Keras 3
        compiled = model._compile_loss
        return lambda y, p, w: _with_regularization(model, compiled(y, p, w))
    raise ValueError(f"{getattr(model, 'name', model)!r} has no compiled loss: pass "
                     "loss=... to check_model(), or compile() the model first")


def _with_regularization(model, value):
    import tensorflow as tf

    extra = list(getattr(model, "losses", []) or [])
    return value + tf.add_n(extra) if extra else value


def _keras_loss(loss):
    if callable(loss):
        return loss
    keras = sys.modules.get("tf_keras") if _legacy() else sys.modules.get("keras")
    if keras is None:
        import tensorflow as tf
        keras = tf.keras
    return keras.losses.get(loss)


def _legacy() -> bool:
    import os

    return os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true", "yes")


def _is_keras3(model) -> bool:
    return type(model).__module__.startswith("keras") or any(
        c.__module__.startswith("keras.src") for c in type(model).__mro__)
