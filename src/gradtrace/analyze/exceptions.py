"""Explain exceptions whose root is a missing gradient but that no gradient call saw.

Inside `tf.function` and `model.fit`, a NumPy conversion of a symbolic tensor
fails while tracing, before any gradient is asked for: "Cannot convert a
symbolic tf.Tensor to a NumPy array" or "'SymbolicTensor' object has no
attribute 'numpy'". The traceback still holds the tensor and the user's line.
"""
from __future__ import annotations

from gradtrace import frames
from gradtrace.analyze.dataflow import GraphFlow, ancestry
from gradtrace.findings import Finding

_SYMBOLIC_MARKERS = (
    "Cannot convert a symbolic tf.Tensor",
    "Cannot convert a symbolic Tensor",
    "SymbolicTensor' object has no attribute",
    "Tensor' object has no attribute 'numpy'",
)


def explain_exception(recorder, exc: BaseException) -> list[Finding]:
    for candidate in _chain(exc):
        text = str(candidate)
        if any(marker in text for marker in _SYMBOLIC_MARKERS):
            return [_symbolic_conversion(recorder, candidate, exc)]
        if "has `None` for gradient" in text:
            found = _empty_loss(recorder, candidate)
            if found is not None:
                return [found]
    return []


def _empty_loss(recorder, exc: BaseException) -> Finding | None:
    """tf-keras' `optimizer.get_gradients(loss, params)` given an empty loss, as
    `model.losses` is for a model without regularizers or add_loss()."""
    for frame in frames.traceback_frames(exc.__traceback__):
        if frame.f_code.co_name != "get_gradients" or "loss" not in frame.f_locals:
            continue
        loss, params = frame.f_locals.get("loss"), frame.f_locals.get("params") or []
        if not (isinstance(loss, (list, tuple)) and not loss):
            return None
        names = [getattr(p, "name", str(p)).removesuffix(":0") for p in params]
        return Finding(
            cause="disconnected", variables=names, location=frames.exception_location(exc),
            message="The loss given to get_gradients() is an empty list, so no variable is "
            "connected to it. `model.losses` holds only the losses added by regularizers and "
            "add_loss(), and this model has none: pass the loss tensor you train on.")
    return None


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _symbolic_conversion(recorder, exc: BaseException, outer: BaseException) -> Finding:
    tensors = _symbolic_tensors_in(exc)
    variables: list[str] = []
    if recorder is not None and recorder.tf is not None and tensors:
        flow = GraphFlow(recorder)
        anc = ancestry(flow, [flow.key(t) for t in tensors])
        for handle in anc.reads:
            info = recorder.variables.get(handle)
            if info is not None and info.trainable and info.name not in variables:
                variables.append(info.name)
    location = frames.exception_location(exc) or frames.exception_location(outer)
    what = "a symbolic tensor" if not tensors else f"`{tensors[0].name}`"
    return Finding(
        cause="numpy_conversion", variables=variables, location=location,
        message=f"{what} was converted to NumPy while TensorFlow traced the step "
        "(tf.function or model.fit): traced code has no values to convert, and even in eager "
        "code the conversion would cut the gradient.",
    )


def _symbolic_tensors_in(exc: BaseException) -> list:
    """The symbolic tensor being converted (`self` of __array__/__getattr__), else the
    symbolic tensors held by the user's failing frame."""
    tb_frames = frames.traceback_frames(exc.__traceback__)
    for frame in reversed(tb_frames):
        if frame.f_code.co_name in ("__array__", "__getattr__", "__float__", "__int__", "numpy"):
            value = frame.f_locals.get("self")
            if _is_symbolic(value):
                return [value]
    for frame in reversed(tb_frames):
        if frames.is_user_file(frame.f_code.co_filename) or "__autograph_generated" in \
                frame.f_code.co_filename:
            found = [v for v in frame.f_locals.values() if _is_symbolic(v)]
            if found:
                return found
    return []


def _is_symbolic(value) -> bool:
    return type(value).__name__ == "SymbolicTensor" or (
        hasattr(value, "op") and hasattr(value, "graph") and type(value).__name__ != "EagerTensor"
        and not hasattr(value, "assign"))
