"""Which op on a path lets no gradient through, and the path as evidence."""
from __future__ import annotations

import functools

from gradtrace.findings import PathStep
from gradtrace.record.events import ASSIGN_OPS, OpNode, READ_OPS

# Float-valued ops whose registered gradient is None (flat almost everywhere).
_NONE_GRADIENT_OPS = frozenset({
    "Round", "Floor", "Ceil", "Rint", "FloorDiv", "Multinomial", "RandomCategorical",
    "StatelessMultinomial", "StatelessRandomCategorical",
})
_STOP_OPS = frozenset({"StopGradient", "PreventGradient"})
PY_FUNC_OPS = frozenset({"PyFunc", "PyFuncStateless"})  # tf.numpy_function
_FUNCTION_CALL_OPS = frozenset({"PartitionedCall", "StatefulPartitionedCall"})
_EAGER_FUNCTION_PREFIXES = ("__inference_", "__forward_")  # a tf.function's eager call op


def first_blocker(route: list, memo: dict | None = None) -> tuple[OpNode | None, str]:
    """The first op, from the variable's side, through which no gradient flows. `route`
    holds ops, or (op, the output key the route leaves it by) pairs. `memo` keeps the
    answer for every step seen: the routes of a model's variables share their ends."""
    memo = {} if memo is None else memo
    seen = []
    found: tuple[OpNode | None, str] = (None, "")
    for step in route:
        node, out_key = step if isinstance(step, tuple) else (step, None)
        mark = (id(node), out_key)
        if mark in memo:
            found = memo[mark]
            break
        seen.append(mark)
        cause = _blocks(node, out_key)
        if cause:
            found = (node, cause)
            break
    for mark in seen:
        memo[mark] = found
    return found


def reads_with_gradient(flow, targets) -> set:
    """The variable handles reached from `targets` backward through ops that let a
    gradient through: the variables that can get a gradient from them (a variable that
    only decides a comparison, such as an augmentation probability, cannot)."""
    reached, seen = set(), set()
    queue = list(targets)
    while queue:
        key = queue.pop()
        if key in seen:
            continue
        seen.add(key)
        node = flow.producer(key)
        if node is None or _blocks(node, key):
            continue
        reached.update(node.handles)
        queue.extend(k for k in node.inputs if k not in node.handles)
    return reached


def _blocks(node: OpNode, out_key=None) -> str:
    op = node.op_type
    if op in _STOP_OPS:
        return "stop_gradient"
    if op in PY_FUNC_OPS:
        return "numpy_function"
    if op in ASSIGN_OPS:
        return "variable_assign"
    if op in _FUNCTION_CALL_OPS or op.startswith(_EAGER_FUNCTION_PREFIXES):
        # A function call is judged by the ops inside it. Called eagerly under a tape, it
        # runs with recording paused and the tape records the call by hand.
        return ""
    if node.recording is False:
        return "outside_tape"
    if op in READ_OPS or op in ("Capture", "Argument"):
        return ""
    dtypes = [d for d in node.out_dtypes if d is not None]
    if out_key is not None and out_key in node.outputs:
        index = node.outputs.index(out_key)  # the output the route takes
        if index < len(node.out_dtypes) and node.out_dtypes[index] is not None:
            dtypes = [node.out_dtypes[index]]
    discrete = bool(dtypes) and not any(_differentiable(d) for d in dtypes)
    if op == "Cast" and discrete:
        return "integer_cast"
    if discrete or op in _NONE_GRADIENT_OPS or _registered_without_gradient(op):
        return "nondifferentiable_op"
    return ""


def _differentiable(dtype) -> bool:
    return bool(getattr(dtype, "is_floating", False) or getattr(dtype, "is_complex", False)
                or getattr(dtype, "name", "") == "resource" or getattr(dtype, "name", "") == "variant")


@functools.lru_cache(maxsize=None)
def _registered_without_gradient(op_type: str) -> bool:
    """True for a TensorFlow op registered as not differentiable. Cached for one
    diagnosis (`forget_registrations` clears it: a script may register gradients later)."""
    from tensorflow.python.framework import op_def_registry, ops

    if op_def_registry.get(op_type) is None:
        return False  # a function call or an unknown op: no claim
    try:
        return ops._gradient_registry.lookup(op_type) is None
    except LookupError:
        return True


def forget_registrations() -> None:
    _registered_without_gradient.cache_clear()


def evidence_path(path: list[OpNode], blocker: OpNode | None, variable: str,
                  limit: int = 8) -> list[PathStep]:
    """A short path: the read, a few ops, the break, then the loss."""
    steps: list[PathStep] = []
    for node in path:
        note = ""
        if node is path[0]:
            note = f"reads {variable}" if node.op_type in READ_OPS else f"uses {variable}"
        if node is blocker:
            note = "no gradient flows past this op"
        step = PathStep(node.op_type, node.location, note)
        if steps and not note and not steps[-1].note.startswith("no") and \
                (steps[-1].op, steps[-1].location) == (step.op, step.location):
            continue
        steps.append(step)
    return _shorten(steps, limit)


def _shorten(steps: list[PathStep], limit: int) -> list[PathStep]:
    if len(steps) <= limit:
        return steps
    keep = {0, len(steps) - 1, len(steps) - 2}
    keep |= {i for i, s in enumerate(steps) if s.note}
    for i, s in enumerate(steps):
        if s.note.startswith("no gradient"):
            keep |= {i - 1, i + 1}
    kept, skipped = [], False
    for i, step in enumerate(steps):
        if i in keep:
            kept.append(step)
            skipped = False
        elif not skipped:
            kept.append(PathStep("...", None, ""))
            skipped = True
    return kept
