"""A loss that turns NaN at a later step, with every weight still finite: the NaN came
in with the data the step was given, a NumPy array computed outside TensorFlow
(`advantages = (adv - adv.mean()) / adv.std()` on a batch whose values are all equal).

The user's frames around the gradient call are searched, innermost first, for a NumPy
array holding NaN or Inf (a local, or a value of a local dict); the line shown is where
the function makes it, followed into the user's own function that returns it."""
from __future__ import annotations

from dataclasses import dataclass

from gradtrace import frames
from gradtrace.analyze import source_trace
from gradtrace.findings import Finding, Location

MAX_FRAMES = 8
MAX_VALUES = 50_000_000  # elements of an array that is checked


@dataclass
class NonfiniteArray:
    name: str  # `trajectory["advantages"]`
    local: str  # `trajectory`
    key: str | None  # "advantages"
    bad: int
    size: int
    frame: object


def nonfinite_input(frame, variables: list[str]) -> Finding | None:
    found = _nonfinite_array(frame)
    if found is None:
        return None
    code = found.frame.f_code
    where = Location(code.co_filename, found.frame.f_lineno, code.co_name)
    made = source_trace.made_line(where, found.local, found.key)
    through = ""
    if made is not None:
        through = f" (returned by `{made.function}`)" if made.function != where.function else ""
        where = made
    return Finding(
        cause="nonfinite_gradient", variables=variables, location=where, severity="warning",
        variant="nonfinite_input",
        message=f"The loss turned NaN or Inf at a later training step, while every weight "
        f"was still finite: the NumPy array `{found.name}`{through} that the step was given holds "
        f"{found.bad} NaN or Inf of its {found.size} values. It is computed here, outside "
        "TensorFlow, so no gradient check sees it; once in the loss, the NaN goes into "
        "every gradient and the optimizer writes it into the weights.")


def _nonfinite_array(frame) -> NonfiniteArray | None:
    for _ in range(MAX_FRAMES):
        if frame is None:
            return None
        if frames.is_user_file(frame.f_code.co_filename):
            for local, value in list(frame.f_locals.items()):
                found = _check(local, None, value, frame)
                if found is None and isinstance(value, dict):
                    for key, item in list(value.items())[:100]:
                        found = found or _check(local, key, item, frame)
                if found is not None:
                    return found
        frame = frame.f_back
    return None


def _check(local: str, key, value, frame) -> NonfiniteArray | None:
    import numpy as np

    if not isinstance(value, np.ndarray) or value.dtype.kind != "f" or \
            not 0 < value.size <= MAX_VALUES:
        return None
    bad = int(np.count_nonzero(~np.isfinite(value)))
    if not bad:
        return None
    name = local if key is None else f"{local}[{key!r}]"
    return NonfiniteArray(name, local, key if isinstance(key, str) else None, bad,
                          int(value.size), frame)

