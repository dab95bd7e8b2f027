"""Layers a model made and never called.

A layer that a model tracks but that no call ever ran was never built: it owns no weights,
so no variable misses a gradient and nothing warns, while the model trains without it (a
list of blocks that `call` forgets to loop over, a head never applied). Checked once per
model after it trained; a layer whose attribute another method of the class reads (an
inference-only head, a branch not taken) is left alone.
"""
from __future__ import annotations

from gradtrace.analyze import source_trace
from gradtrace.findings import Finding


def check_never_called(recorder, model, how: str) -> None:
    if id(model) in recorder.never_called_checked or not getattr(model, "_called", False):
        return
    recorder.never_called_checked.add(id(model))
    for holder, found in _uncalled_by_holder(model).items():
        recorder.add_finding(_finding(holder, found, how))


def _uncalled_by_holder(model) -> dict:
    """{layer or model: [(uncalled layer, attribute, line made)]}, the model's own first."""
    grouped: dict = {}
    stack = [model]
    while stack:
        holder = stack.pop(0)
        for child in _children(holder):
            if getattr(child, "_called", True):
                stack.append(child)
                continue
            made = _user_attribute(holder, child)
            if made is not None and _would_own_weights(child):
                grouped.setdefault(holder, []).append((child, *made))
    return grouped


def _children(layer) -> list:
    try:
        return [c for c in layer._flatten_layers(include_self=False, recursive=False)
                if not (hasattr(c, "update_state") and hasattr(c, "result"))]  # (metrics)
    except Exception:  # noqa: BLE001  (not a Keras layer)
        return []


def _user_attribute(holder, child):
    """(attribute, line) of the user's `self.<attribute>` that holds `child` (itself, or in
    a list or dict), made in `__init__` or `build` and read by no other method."""
    for name, value in list(vars(holder).items()):
        if value is not child and not any(v is child for v in _held_values(value)):
            continue
        use = source_trace.attribute_use(type(holder), name)
        if use is not None and use.made_at and not use.read_elsewhere:
            return name, use.made_at
    return None


def _held_values(value) -> list:
    """The items of a list, tuple or dict (or Keras' tracked wrappers of them)."""
    if isinstance(value, dict) or type(value).__name__ in ("TrackedDict", "_DictWrapper"):
        return list(value.values())
    if isinstance(value, (list, tuple)) or type(value).__name__ in ("TrackedList", "ListWrapper"):
        return list(value)
    return []


def _would_own_weights(layer) -> bool:
    """A layer that builds weights when first called: its class (or that of a layer it
    holds) defines `build`, and it has none yet."""
    if getattr(layer, "weights", None):
        return False
    base = next((c for c in reversed(type(layer).__mro__) if c.__name__ == "Layer"), None)
    if base is not None and getattr(type(layer), "build", None) is not getattr(base, "build", None):
        return True
    return any(_would_own_weights(c) for c in _children(layer))


def _finding(holder, found: list, how: str) -> Finding:
    names = [layer.name for layer, _, _ in found]
    made = "; ".join(f"`self.{attribute}`, line {line}"
                     for attribute, line in dict.fromkeys((a, l) for _, a, l in found))
    owner = type(holder).__name__
    several = len(names) > 1
    first = f"`{names[0]}`" + (f" (and {len(names) - 1} more layers)" if several else "")
    they, them = ("they", "them") if several else ("it", "it")
    return Finding(
        cause="unused_variable", variables=names, severity="warning", variant="never_called",
        location=source_trace.method_line(type(holder), "call"),
        message=f"{first} {'are' if several else 'is'} made by `{owner}` ({made}), and "
        f"`{owner}.call` never calls {them}: while {how} ran, {they} "
        f"{'were' if several else 'was'} never built, so {they} "
        f"{'own' if several else 'owns'} no weights and the model trains without {them}. "
        "(No warning says so: there is no variable to miss a gradient.)")
