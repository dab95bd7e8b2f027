"""What a gradient's values say (NaN or Inf, exactly zero), and where that comes from:
the op whose gradient is infinite at the values it was given, the op whose gradient is
zero everywhere. Also used after `fit`, on the step it traced, when training left NaN
in the weights."""
from __future__ import annotations

import os
from collections import deque
from typing import TYPE_CHECKING

from gradtrace import frames
from gradtrace.analyze import source_trace
from gradtrace.analyze.dataflow import Ancestry, ancestry
from gradtrace.findings import Finding, Location
from gradtrace.record.events import READ_OPS, SINGULAR_GRADIENT_OPS

if TYPE_CHECKING:
    from gradtrace.analyze.call import GradientCall, Source


def value_findings(call: GradientCall) -> list[Finding]:
    from gradtrace.report import gradient_status

    statuses = [(source, gradient_status(source.name, result).status)
                for source, result in zip(call.sources, call.results)]
    if not statuses:
        return []
    nonfinite = [source for source, status in statuses if status == "nonfinite"]
    if nonfinite:
        return [_nonfinite(call, nonfinite)]
    if all(status == "zero" for _, status in statuses):
        named = _cancelled_sample(call, [s for s, _ in statuses if s.is_variable]) or \
            _stalled_by_saturation(call, all_zero=True)
        if named:  # (the op that makes them zero)
            return named
        return [call.finding(
            "zero_gradient", [source for source, _ in statuses], target_location(call),
            "Every gradient exists but is exactly zero: the loss does not change with any of "
            "the variables, so training cannot make progress.")]
    zero = [source for source, status in statuses if status == "zero" and source.is_variable]
    return (_cancelled_sample(call, zero) if zero else []) or _stuck_by_symmetry(call) \
        or _stalled_by_saturation(call)


_ADD_OPS = ("AddV2", "Add")


def _cancelled_sample(call: GradientCall, candidates: list[Source]) -> list[Finding]:
    """Variables whose every path to the loss goes through `(m + noise) - m`: a sample
    drawn as `mean + std * noise` whose log-probability subtracts the same mean again, so
    the mean cancels and its gradient is exactly zero (REINFORCE on a reparameterised
    sample). Shown where the sample is drawn."""
    cancels = [n for n in call.ancestry.nodes if n.op_type == "Sub" and len(n.inputs) == 2
               and _adds(call, n.inputs[0], n.inputs[1])]
    if not cancels:
        return []
    live = _reads_reached_past(call, frozenset(), stop=lambda n: n in cancels)
    stuck = [s for s in candidates if call.ancestry.reads.get(s.key) and s.key not in live]
    if not stuck:
        return []
    drawn = call.flow.producer(cancels[0].inputs[0])
    while drawn is not None and drawn.op_type in _RESHAPING_OPS and drawn.inputs:
        drawn = call.flow.producer(drawn.inputs[0])
    return [call.finding(
        "zero_gradient", stuck, _shown_at(drawn) or _shown_at(cancels[0]),
        f"The gradient of `{stuck[0].name}` is exactly zero: the value made here is the "
        "mean plus noise, and the log-probability (line "
        f"{getattr(_shown_at(cancels[0]), 'line', '?')}) subtracts that same mean from it "
        "again, so the mean cancels and the loss does not depend on it. Take the "
        "log-probability of the sample with `tf.stop_gradient(sample)`.",
        severity="warning", variant="cancelled_sample")]


def _adds(call: GradientCall, total, term) -> bool:
    """`total` is made by an addition one of whose inputs is `term` (seen through ops that
    only reshape, as a distribution's `sample()` does)."""
    node = call.flow.producer(total)
    for _ in range(4):
        if node is None or node.op_type not in _RESHAPING_OPS or not node.inputs:
            break
        node = call.flow.producer(node.inputs[0])
    return node is not None and node.op_type in _ADD_OPS and term in node.inputs


_RESHAPING_OPS = ("Reshape", "Identity", "ExpandDims", "Squeeze")


# How long a layer's gradient must stay negligible, in gradient calls of one site, before
# a symmetric start is blamed: a zero-initialised last layer (LoRA's B, ReZero) holds the
# layers before it still for one step only.
SYMMETRY_CALLS = 3
_NEGLIGIBLE = 1e-6  # of the largest gradient norm of the call
_PRODUCT_OPS = frozenset({"MatMul", "BatchMatMulV2", "BatchMatMulV3", "Conv2D", "Conv1D"})


def _stuck_by_symmetry(call: GradientCall) -> list[Finding]:
    """Variables whose gradient stays negligible next to the others' call after call,
    while the next layer's weights started with the same value everywhere (all zeros):
    every unit gets the same gradient, and the symmetry never breaks."""
    from gradtrace.report import gradient_status

    norms = {s.key: gradient_status(s.name, r).norm for s, r in zip(call.sources, call.results)
             if s.is_variable}
    largest = max((n for n in norms.values() if n), default=0.0)
    memory = call.recorder.symmetry_evidence
    site = call.tape_info.site
    stuck = []
    for source in call.sources:
        norm = norms.get(source.key)
        mark = (site, source.key)
        if not largest or norm is None or norm > _NEGLIGIBLE * largest:
            memory.pop(mark, None)
            continue
        count, evidence = memory.get(mark, (0, None))
        if count == 0:
            evidence = _constant_weight_after(call, source)
        if evidence is None:
            continue
        memory[mark] = (count + 1, evidence)
        if count + 1 == SYMMETRY_CALLS:
            stuck.append((source, evidence))
    if not stuck:
        return []
    name, made_at = stuck[0][1]
    return [call.finding(
        "zero_gradient", [s for s, _ in stuck], made_at,
        f"The gradient of `{stuck[0][0].name}` stayed about zero next to the others' in "
        f"{SYMMETRY_CALLS} steps in a row. `{name}`, made here, started with the same value "
        "in every entry (all zeros, say): every unit before it gets the same gradient, "
        "their weights stay equal, and the symmetry never breaks.", severity="warning",
        variant="symmetric_start")]


_COLLAPSED = 1e-6  # of the first call's largest gradient norm


def _stalled_by_saturation(call: GradientCall, all_zero: bool = False) -> list[Finding]:
    """Training that stopped after its first steps: the gradients collapsed to almost
    nothing next to the first call's (or all are exactly zero), the loss did not change by
    a single bit since the last call (unless exactly zero), and a softmax, sigmoid or tanh
    on the way put out only exact 0s and 1s, where its gradient is exactly zero (unscaled
    inputs, or a huge first step)."""
    from gradtrace.report import gradient_status

    norms = [gradient_status(s.name, r).norm for s, r in zip(call.sources, call.results)
             if s.is_variable]
    largest = max((n for n in norms if n is not None), default=None)
    memory = call.recorder.stall_evidence
    asked = (call.tape_info.site, tuple(s.key for s in call.sources[:8]))  # (two tapes, one line)
    first, last_loss = memory.get(asked, (None, None))
    memory[asked] = (largest if first is None else first, call.loss_value)
    if not all_zero and (not first or largest is None or largest > _COLLAPSED * first):
        return []
    if not all_zero and (call.loss_value is None or call.loss_value != last_loss
                         or call.loss_value == 0):
        return []
    reads = [r for s in call.sources if s.is_variable for r in call.ancestry.reads.get(s.key, [])]
    op = next((op for op in _downstream(call.ancestry, reads) if op.saturated), None)
    if op is None:
        return []
    sources = [s for s in call.sources if s.is_variable]
    if op.saturated == "single_unit":
        return [call.finding(
            "zero_gradient", sources, _layer_site(call, op) or op.location,
            "Every gradient is exactly zero: this softmax runs over an axis of a single unit, "
            "so its output is 1.0 whatever its input, and nothing before it can change the "
            "loss.", severity="warning", variant="single_unit_softmax")]
    fell = (f"Every gradient is exactly zero{f' (it was {first:.2g} at the first step)' if first else ''}: "
            if all_zero else f"After the first step the gradients fell to {largest:.2g}, "
            f"against {first:.2g} then, and the loss has not changed by a single bit since the "
            "last step: ")
    if op.saturated == "flat_region":
        return [_flat_region_finding(call, op, sources, fell)]
    if op.saturated == "single_entry":
        made = source_trace.callee_construction(op.location)
        how = f" (`{made[1]}`, made at line {made[0]})" if made else ""
        where = Location(op.location.file, made[0], source_trace.enclosing_function(
            Location(op.location.file, made[0], "")) or "<module>") if made else op.location
        return [call.finding(
            "zero_gradient", sources, where or op.location,
            f"Every gradient is exactly zero: the loss{how} divides its input by the input's "
            "sum over the last axis, and that axis has one entry, so the result is 1.0 "
            "whatever the model puts out (a categorical cross-entropy over one class is "
            "constant). Use binary cross-entropy for one output unit, or one unit per class.",
            severity="warning", variant="one_class_crossentropy")]
    return [call.finding(
        "zero_gradient", sources, op.location,
        f"{fell}every output of "
        f"this {op.op_type} is 0 or 1 to within 1e-6 (saturated), where its gradient is zero "
        "in float32, so nothing before it can learn.", severity="warning", variant="saturated")]


def _flat_region_finding(call: GradientCall, op, sources: list, fell: str) -> Finding:
    relu = op.op_type == "Relu"
    what = ("every input of this ReLU is below zero, where its gradient is zero (a dead "
            "layer)" if relu else "every value reaching this clip lies beyond its bound, "
            "where the clip's gradient is zero")
    where = source_trace.call_line(_shown_at(op), _FLAT_REGION_OPS[op.op_type]) if not relu \
        else (_layer_site(call, op) or op.location)
    return call.finding(
        "zero_gradient", sources, where or op.location,
        f"{fell}{what}, and every path from the variables to the loss goes through it, so "
        "nothing before it can learn.", severity="warning",
        variant="dead_layer" if relu else "clipped_everywhere")


def _layer_site(call: GradientCall, op) -> Location | None:
    """The line that applied the Keras layer an eager op ran in (by its name scope)."""
    names = [part for part in (op.scope or "").split("/") if part]
    for layer, site in list(call.recorder.operation_sites.items()):
        if names and getattr(layer, "name", None) == names[-1] and site is not None:
            return site
    return None


def _constant_weight_after(call: GradientCall, source: Source):
    """(name, creation line) of a variable asked about that multiplies `source`'s values
    on their way to the loss and holds one value everywhere."""
    import numpy as np

    reads = call.ancestry.reads.get(source.key, [])
    for op in _downstream(call.ancestry, reads)[:50]:
        if op.op_type not in _PRODUCT_OPS:
            continue
        for key in op.inputs:
            read = call.flow.producer(key)
            for handle in getattr(read, "handles", ()):
                variable = call.variables.get(handle)
                if variable is None or handle == source.key:
                    continue
                try:
                    values = np.asarray(variable.numpy())
                except Exception:  # noqa: BLE001  (a variable with no value to read)
                    continue
                if values.size > 1 and values.dtype.kind == "f" and np.ptp(values) == 0:
                    info = call.recorder.variables.get(handle)
                    return (info.name if info else str(handle),
                            info.created_at if info else None)
    return None


def _nonfinite(call: GradientCall, sources: list[Source]) -> Finding:
    """Where the gradient turns non-finite: among the ops between the variables and the
    loss, the first whose gradient is infinite at the values it was given (sqrt of a
    distance that is 0, log of a probability that is 0); without recorded values (a
    traced step), the first such op on the route; the loss line when there is none."""
    singular = _singular_op(call, sources[0])
    if singular is None:
        return call.finding("nonfinite_gradient", sources, target_location(call),
                            "Some gradients contain NaN or Inf.")
    seen = "at the values it was given here" if singular.singular else "somewhere in its domain"
    return call.finding(
        "nonfinite_gradient", sources, _shown_at(singular),
        f"Some gradients contain NaN or Inf. On the way from `{sources[0].name}` to the loss, "
        f"{_singular_type(singular)} is the first op whose gradient is infinite {seen} "
        f"({_where_infinite(_singular_type(singular))})."
        + _where_hint(call, singular, _singular_type(singular)),
        variant=_variant(_singular_type(singular)))


def nonfinite_after_training(calls: list, spoiled: list[str], summary: str,
                             fallback: Location | None) -> Finding:
    """Training left NaN or Inf in the weights (or the loss): on the routes of the traced
    step's gradient, the op whose gradient is infinite somewhere in its domain, nearest
    to a variable (the `log` of a weight rather than one deep in the loss)."""
    best = None  # (distance from the variable, op, source)
    for call in reversed(calls):
        names = set(spoiled)
        for source in call.sources:
            if not source.is_variable or (names and source.name not in names):
                continue
            singular = _singular_op(call, source)
            if singular is None:
                continue
            reads = call.ancestry.reads.get(source.key, [])
            order = [id(op) for op in _downstream(call.ancestry, reads)]
            distance = order.index(id(singular)) if id(singular) in order else len(order)
            if best is None or distance < best[0]:
                best = (distance, singular, source)
        if best is not None:
            break
    if best is None:
        return Finding(cause="nonfinite_gradient", variables=spoiled, location=fallback,
                       message=summary + ".", severity="warning")
    _, singular, source = best
    op_type = _singular_type(singular)
    return Finding(
        cause="nonfinite_gradient", variables=spoiled or [source.name],
        location=source_trace.call_line(_shown_at(singular), _api_names(op_type)),
        severity="warning", variant=_variant(op_type),
        message=f"{summary}. On the way from `{source.name}` to the loss, {op_type} "
        f"is the first op whose gradient is infinite somewhere in its domain "
        f"({_where_infinite(op_type)}): once its input reaches that point, the "
        "gradient and then the weights become NaN." + _where_hint(call, singular, op_type))


# The Python names that make an op, where they differ from its type in lower case.
_API_NAMES = {"RealDiv": ("divide", "truediv", "div"), "Div": ("divide", "div"),
              "Xlogy": ("xlogy",), "Xdivy": ("xdivy",), "Pow": ("pow", "power")}


_WHERE_OPS = ("Select", "SelectV2")


def _where_hint(call: GradientCall, op, op_type: str) -> str:
    """When the op's result goes into a `tf.where` that was meant to guard it: the branch
    not taken is differentiated too, and 0 * Inf is NaN."""
    if op_type in ("Exp", "Expm1") or not op.outputs:
        return ""  # (the Exp wording already says it)
    made = set(op.outputs)
    if not any(n.op_type in _WHERE_OPS and made & set(n.inputs) for n in call.ancestry.nodes):
        return ""
    return (" Its result goes into a `tf.where`: the branch that is not taken is "
            "differentiated too, and its zero gradient times the op's infinite one is NaN. "
            f"Make the op's input safe first ({_safe_input_example(op_type)}), not only its "
            "output.")


def _safe_input_example(op_type: str) -> str:
    if op_type in ("RealDiv", "Div", "Xdivy", "Reciprocal", "Inv"):
        return "`a / tf.where(ok, d, 1.0)`"
    if op_type in ("Log", "Log1p", "Xlogy"):
        return "`tf.math.log(tf.where(ok, x, 1.0))`"
    return f"`tf.math.{_api_names(op_type)[0]}(tf.where(ok, x, 1.0))`"


def _api_names(op_type: str) -> tuple[str, ...]:
    return _API_NAMES.get(op_type, (op_type.lower(),))


_WHERE_INFINITE = {
    "Sqrt": "at 0: the square root of a distance or norm that is 0",
    "Rsqrt": "at 0", "Reciprocal": "at 0", "Inv": "at 0",
    "Log": "at 0 and below: the log of a probability that is 0",
    "Log1p": "at -1 and below", "Lgamma": "at 0 and the negative integers",
    "Digamma": "at 0 and the negative integers", "Xlogy": "where its argument is 0",
    "RealDiv": "where the denominator is 0", "Div": "where the denominator is 0",
    "Xdivy": "where the denominator is 0", "Pow": "at 0 for an exponent below 1",
    "Acos": "at -1 and 1", "Asin": "at -1 and 1", "Atanh": "at -1 and 1",
    "Exp": "it overflows to Inf for inputs above about 88 in float32, even in the branch "
    "of a `tf.where` that is not taken, whose gradient is then 0 * Inf = NaN",
}
_WHERE_INFINITE["Expm1"] = _WHERE_INFINITE["Exp"]


def _where_infinite(op_type: str) -> str:
    return _WHERE_INFINITE.get(op_type, "at a point of its domain")


def _variant(op_type: str) -> str:
    if op_type in ("Exp", "Expm1"):
        return "exp_overflow"
    return "domain_edge" if op_type in ("Acos", "Asin", "Atanh") else ""


def _singular_op(call: GradientCall, source: Source):
    """Among the ops after the variable's reads, and those feeding them (d(a * log(x))/da
    is log(x)), the first whose gradient is infinite at the values it was given. Without
    values (a traced step): the nearest one whose gradient is infinite somewhere, ops the
    user wrote (a custom activation, a loss) before those of Keras' own layers."""
    reads = call.ancestry.reads.get(source.key) if source.is_variable else None
    if not reads:
        return None
    between = _downstream(call.ancestry, reads)
    candidates = [op for op in between + _side_inputs(call, between)
                  if _singular_type(op) is not None]
    found = next((op for op in candidates if op.singular), None)
    if found is None:
        unknown = [op for op in candidates if op.singular is None]
        found = min(unknown, key=lambda op: not _written_by_user(op), default=None)
    return found


_BODY_ATTRIBUTES = ("body", "then_branch", "else_branch", "f")  # While, If, function calls


def _singular_type(op) -> str | None:
    """The op's type when its gradient can be infinite (SINGULAR_GRADIENT_OPS); for a
    traced loop, condition or function call (a Keras RNN's `tf.while_loop`), that of the
    first such op inside its body."""
    if op.op_type in SINGULAR_GRADIENT_OPS:
        return None if _regular_by_constants(op) else op.op_type
    graph_op = op.graph_op
    if graph_op is None or not op.op_type.endswith(("While", "If", "PartitionedCall")):
        return None
    for attribute in _BODY_ATTRIBUTES:
        try:
            name = graph_op.get_attr(attribute).name
            body = graph_op.graph._get_function(name).graph
        except Exception:  # noqa: BLE001  (no such attribute, a function not kept)
            continue
        inner = next((o.type for o in body.get_operations()
                      if o.type in SINGULAR_GRADIENT_OPS), None)
        if inner is not None:
            return inner
    return None


def _regular_by_constants(op) -> bool:
    """A traced op whose constant inputs keep its gradient finite everywhere: `x ** 2` (an
    exponent of 1 or more), `x / 2.0` (a denominator that is never 0)."""
    graph_op = op.graph_op
    if graph_op is not None and op.op_type in _FLOORED_OPS and graph_op.inputs:
        return _floored(graph_op.inputs[_FLOORED_OPS[op.op_type]])
    if graph_op is None or op.op_type not in ("Pow", "RealDiv", "Div") or \
            len(graph_op.inputs) != 2:
        return False
    import numpy as np
    from tensorflow import get_static_value

    try:
        constant = get_static_value(graph_op.inputs[1])
    except Exception:  # noqa: BLE001  (an input whose value cannot be known statically)
        return False
    if constant is None:
        return False
    constant = np.asarray(constant)
    if op.op_type == "Pow":
        return bool(np.all(constant >= 1) and np.all(constant == np.round(constant)))
    return bool(np.all(constant != 0))


# Ops singular at 0 (or below), and which input: finite everywhere when that input is
# floored by a positive constant (`tf.math.l2_normalize`'s `rsqrt(maximum(x, epsilon))`).
_FLOORED_OPS = {"Rsqrt": 0, "Sqrt": 0, "Log": 0, "Reciprocal": 0, "Inv": 0,
                "RealDiv": 1, "Div": 1}


def _floored(tensor) -> bool:
    """A traced tensor made by `maximum(x, c)` with a positive constant c."""
    import numpy as np
    from tensorflow import get_static_value

    producer = tensor.op
    if producer.type != "Maximum" or len(producer.inputs) != 2:
        return False
    for operand in producer.inputs:
        try:
            constant = get_static_value(operand)
        except Exception:  # noqa: BLE001  (an input whose value cannot be known statically)
            continue
        if constant is not None and np.all(np.asarray(constant) > 0):
            return True
    return False


def _written_by_user(op) -> bool:
    """A traced op made by the user's own code (`tf.exp(x)` in their activation), not by
    a library function (Keras' `ops.exp`): the first frame out of TensorFlow's own op
    wrappers is the user's."""
    traceback = getattr(op.graph_op, "traceback", None) if op.graph_op is not None else None
    for frame in reversed(traceback or ()):
        if frames.is_user_file(frame.filename):
            return True
        if f"{os.sep}tensorflow{os.sep}" not in frame.filename:
            return False
    return False


def _shown_at(op) -> Location | None:
    """Where to show an op: its user line (in a `Lambda`'s function, a loss), or for an op
    of a Keras layer traced inside `fit`, whose only user line is the module's `fit`
    call, the line that made the layer (`SimpleRNN(activation="exponential")`)."""
    here = op.location
    if op.made_at is not None and not _written_by_user(op) and (
            here is None or here.function == "<module>"):
        return op.made_at
    return here


def _side_inputs(call: GradientCall, ops: list, depth: int = 3) -> list:
    """The ops, up to `depth` steps back, that make the other inputs of `ops`."""
    found, seen = [], {id(op) for op in ops}
    layer = ops
    for _ in range(depth):
        feeding = []
        for op in layer:
            for key in op.inputs:
                node = call.flow.producer(key)
                if node is not None and id(node) not in seen:
                    seen.add(id(node))
                    feeding.append(node)
        found += feeding
        layer = feeding
    return found


def _downstream(anc: Ancestry, starts: list) -> list:
    """The ops of `anc` fed, directly or not, by the outputs of `starts`, nearest first."""
    consumers: dict = {}
    for node in anc.nodes:
        for key in node.inputs:
            consumers.setdefault(key, []).append(node)
    found, seen = [], {id(n) for n in starts}
    queue = deque(starts)
    while queue:
        for key in queue.popleft().outputs:
            for node in consumers.get(key, ()):
                if id(node) not in seen:
                    seen.add(id(node))
                    found.append(node)
                    queue.append(node)
    return found


# Ops whose registered gradient is zero everywhere.
_ZERO_GRADIENT_OPS = frozenset({"Sign"})


def zero_by_construction(call: GradientCall) -> list[Finding]:
    """Variables whose every path to the loss goes through an op whose gradient is zero
    everywhere (tf.sign): their gradients exist and are exactly zero, in eager and traced
    code alike, so they never learn."""
    anc = call.ancestry
    # Ops run while no tape recorded (a @tf.custom_gradient's forward pass) are not what
    # the tape differentiates.
    zero_ops = [n for n in anc.nodes if n.op_type in _ZERO_GRADIENT_OPS and n.recording is not False]
    if not zero_ops:
        return []
    live = _reads_reached_past(call, _ZERO_GRADIENT_OPS)
    stuck = [s for s in call.sources
             if s.is_variable and anc.reads.get(s.key) and s.key not in live]
    if not stuck:
        return []
    op = next((o for o in zero_ops if any(
        _feeds(call, s, o) for s in stuck)), zero_ops[0])
    return [call.finding(
        "nondifferentiable_op", stuck, op.location,
        f"{op.op_type} has a gradient of exactly zero everywhere, and every path from "
        f"`{stuck[0].name}` to the loss goes through it: its gradient exists but is always "
        "0, so it never learns.", severity="warning")]


def normalized_target(call: GradientCall) -> list[Finding]:
    """`tape.gradient(probabilities, x)` with a softmax's whole output as the target: the
    tape differentiates the sum of its entries, and a softmax's entries sum to 1 whatever
    its input, so every gradient is zero (up to rounding)."""
    shape = call.summed_target_shape
    if len(call.target_keys) != 1 or len(shape) < 1 or shape[-1] in (None, 1):
        return []
    node = call.flow.producer(call.target_keys[0])
    while node is not None and node.op_type == "Identity" and node.inputs:
        node = call.flow.producer(node.inputs[0])
    if node is None or node.op_type != "Softmax":
        return []
    got = [s for s, r in zip(call.sources, call.results or ()) if r is not None]
    return [call.finding(
        "zero_gradient", got, call.location,
        f"The target is a softmax's whole output (shape {list(shape)}, made at line "
        f"{node.location.line if node.location else '?'}): asked for the gradient of a "
        "tensor, the tape differentiates the sum of its entries, and a softmax's entries "
        "always sum to 1, so every gradient here is zero (up to rounding). Differentiate one "
        "class's score (`probabilities[:, label]`) or a loss against a label.",
        severity="warning", variant="softmax_sum")]


_NO_GRADIENT_THROUGH = frozenset({"StopGradient", "PreventGradient"})


def _reads_reached_past(call: GradientCall, stop_ops: frozenset, stop=None) -> set:
    """The variables reached from the loss backward without crossing a `stop_ops` op (or
    one that `stop` accepts)."""
    reached, seen = set(), set()
    queue = list(call.target_keys)
    while queue:
        key = queue.pop()
        if key in seen:
            continue
        seen.add(key)
        node = call.flow.producer(key)
        if node is None or node.op_type in stop_ops or node.op_type in _NO_GRADIENT_THROUGH \
                or (stop is not None and stop(node)):
            continue
        if call.recorder.is_custom_gradient_output(node):  # the user's own gradient
            reached.update(ancestry(call.flow, node.inputs).reads)
            continue
        reached.update(node.handles)
        queue.extend(k for k in node.inputs if k not in node.handles)
    return reached


def _feeds(call: GradientCall, source: Source, op) -> bool:
    own = ancestry(call.flow, op.inputs)
    return bool(own.reads.get(source.key))


def target_location(call: GradientCall) -> Location | None:
    node = call.flow.producer(call.target_keys[0]) if call.target_keys else None
    return (node.location if node else None) or call.location


def gradient_statuses(call: GradientCall) -> list:
    """Each requested source with its gradient's status and norm (values only in eager:
    a traced gradient has none yet)."""
    from gradtrace.report import gradient_status

    if call.results is None:
        return []
    return [gradient_status(source.name, result)
            for source, result in zip(call.sources, call.results)]


# Ops whose gradient is zero over a whole region of their input (a clipped value, a ReLU
# below 0): a step that trains nothing may have every value in that region.
_FLAT_REGION_OPS = {"Minimum": ("clip_by_value", "minimum"), "Maximum": ("clip_by_value", "maximum"),
                    "ClipByValue": ("clip_by_value",), "Relu": ("relu",), "Relu6": ("relu6",)}


def unmoved_after_training(call: GradientCall, step: str, calls: int) -> Finding:
    """A traced step ran `calls` times and no variable it asks the gradient for changed:
    every gradient was zero. Shown at the op of the user's nearest the loss whose gradient
    is zero over a region (a `tf.clip_by_value`), else at the loss."""
    names = [s.name for s in call.sources if s.is_variable]
    ran = (f"`{step}` ran {calls} times and none of the {len(names)} variables it takes the "
           "gradient for changed by a bit")
    skipped = _skipped_by_loss_scale(call, names, ran + ".")
    if skipped is not None:
        return skipped
    ran += ": every gradient it applied was exactly zero."
    cancelled = _cancelled_sample(call, [s for s in call.sources if s.is_variable])
    if cancelled:
        cancelled[0].message = f"{ran} {cancelled[0].message}"
        return cancelled[0]
    flat = _nearest_flat_op(call)
    if flat is None:
        return Finding(cause="zero_gradient", variables=names, severity="warning",
                       location=call.loss_location or call.location, message=ran,
                       variant="traced_unmoved")
    where = source_trace.call_line(_shown_at(flat), _FLAT_REGION_OPS[flat.op_type])
    clipped = flat.op_type in ("Minimum", "Maximum", "ClipByValue")
    what = ("clips its input: its gradient is zero wherever a value lies outside the range"
            if clipped else "is a ReLU: its gradient is zero wherever its input is below 0")
    return Finding(
        cause="zero_gradient", variables=names, severity="warning", location=where,
        variant="clipped_everywhere" if clipped else "dead_layer",
        message=f"{ran} On the way to the loss, this line {what}, and every path from the "
        "variables goes through it: when every value of the batch is in that region (errors "
        "all larger than the clip range), nothing flows back.")


def _skipped_by_loss_scale(call: GradientCall, names: list, ran: str) -> Finding | None:
    """The loss is multiplied by a loss-scale optimizer's scale (mixed precision): it skips
    each step whose gradients hold NaN or Inf, so weights that never moved mean every step
    overflowed, even at the smallest scale. Shown where the unscaled loss is made."""
    scale = next((key for key in call.ancestry.reads if _is_loss_scale(call, key)), None)
    if scale is None:
        return None
    scaled = call.flow.producer(call.target_keys[0]) if call.target_keys else None
    unscaled = [call.flow.producer(k) for k in (scaled.inputs if scaled is not None else ())]
    made = next((n.location for n in unscaled if n is not None and n.location is not None
                 and n.op_type not in READ_OPS and not n.handles), None)
    return Finding(
        cause="nonfinite_gradient", variables=names, severity="warning",
        location=made or call.loss_location or call.location, variant="loss_scale_skipped",
        message=f"{ran} The loss is scaled by the LossScaleOptimizer, which skips every "
        "step whose gradients hold NaN or Inf and lowers its scale: here every step was "
        "skipped, so the gradients overflow even at the smallest scale. The loss made here "
        "is too large for float16 gradients.")


def _is_loss_scale(call: GradientCall, key) -> bool:
    info = call.recorder.variables.get(key)
    return info is not None and any(word in info.name for word in ("loss_scale", "dynamic_scale"))


def _nearest_flat_op(call: GradientCall):
    """The _FLAT_REGION_OPS op nearest the loss on every path from the variables, the
    user's own (a `clip_by_value` in the loss) before those inside Keras' layers."""
    flats = [n for n in _upstream_from_loss(call) if n.op_type in _FLAT_REGION_OPS]
    if not flats:
        return None
    live = _reads_reached_past(call, frozenset(_FLAT_REGION_OPS))
    stuck = [s for s in call.sources if s.is_variable and s.key not in live]
    if len(stuck) < len([s for s in call.sources if s.is_variable]):
        return None  # (some variable reaches the loss around every such op)
    return next((n for n in flats if _written_by_user(n)), flats[0])


def _upstream_from_loss(call: GradientCall) -> list:
    """The ops of the targets' ancestry, nearest the loss first."""
    found, seen = [], set()
    queue = deque(call.flow.producer(k) for k in call.target_keys)
    while queue and len(found) < 5_000:
        node = queue.popleft()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        queue.extend(call.flow.producer(k) for k in node.inputs)
    return found
