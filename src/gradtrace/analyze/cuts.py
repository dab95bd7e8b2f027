"""Where a variable's values stopped carrying a gradient on their way to the loss: the
first op on the route that lets no gradient through (a read outside the tape, an
integer cast, stop_gradient, an assign, an op without a gradient), a `predict`, or a
conversion to NumPy; shown at the line the user must edit."""
from __future__ import annotations

from gradtrace import frames
from gradtrace.analyze import source_trace
from gradtrace.analyze.call import GradientCall, Source, is_tensor, opened_by_library
from gradtrace.analyze.dataflow import Ancestry, ancestry
from gradtrace.analyze.evidence import evidence_path, first_blocker
from gradtrace.analyze.flowgraph import FlowOp
from gradtrace.findings import Finding, Location, PathStep
from gradtrace.record.events import ASSIGN_OPS


def cut_finding(call: GradientCall, source: Source, shown: set) -> Finding | None:
    """Where `source`'s values stopped carrying a gradient, or None when they reached no
    recorded cut."""
    predicted = predict_evidence(call, source)
    if predicted is not None:
        return predicted
    anc = call.ancestry
    reads = anc.reads.get(source.key, [])
    if not source.is_variable and source.key in anc.toward:
        route = anc.route_from_key(source.key)  # a watched tensor: from its first consumer
        blocker, cause = first_blocker(route, call._blockers)
        if blocker is not None:
            path = [op for op, _ in route]
            return call.finding(cause, [source], blocker_location(call, blocker, cause),
                                _blocker_message(call, cause, blocker, source),
                                evidence_path(path, blocker, source.name),
                                graph=call.route_graph(source, path, blocker),
                                variant=_blocker_variant(call, blocker))
    if reads:
        route = anc.route_from(reads[0])
        path = [op for op, _ in route]
        blocker, cause = first_blocker(route, call._blockers)
        if blocker is not None:
            # Findings at one blocker merge into the first one's: only it needs its path
            # (resolving graph ops' tracebacks is the slow part on a large model).
            first = id(blocker) not in shown
            shown.add(id(blocker))
            where = blocker_location(call, blocker, cause)
            return call.finding(cause, [source], where,
                                _blocker_message(call, cause, blocker, source),
                                evidence_path(path, blocker, source.name) if first else [],
                                graph=call.route_graph(source, path, blocker),
                                group=(cause, blocker.op_type, where.file, where.function)
                                if where else (), variant=_blocker_variant(call, blocker))
    converted = conversion_evidence(call, source) or _numpy_in_caller(call, source)
    if converted is not None or not reads:
        return converted
    stale = _from_before_the_tape(call, source, route)
    if stale is not None:
        return stale
    return call.finding("disconnected", [source], reads[0].location,
                        f"`{source.name}` is read on the way to the loss, but no recorded "
                        "operation explains why its gradient is missing.",
                        evidence_path(path, None, source.name),
                        graph=call.route_graph(source, path))


def _from_before_the_tape(call: GradientCall, source: Source, route: list) -> Finding | None:
    """The variable was read, and values computed from it, before this tape opened (under
    an earlier step's tape), and the loss takes those values in: kept between steps (a
    cache, an attribute), they are constants to this tape. Shown where this tape's first
    op on the route takes one in."""
    start = call.tape_info.start_key
    if start is None or start < 0 or not route:
        return None

    def made_before(node) -> bool:
        return bool(node.outputs) and all(isinstance(k, int) and 0 <= k <= start
                                          for k in node.outputs)

    if not made_before(route[0][0]):
        return None
    earlier = route[0][0]
    for op, _ in route:
        if not made_before(op):
            where = op.location or call.location
            computed = f" (computed at line {earlier.location.line})" \
                if earlier.location else ""
            return call.finding(
                "outside_tape", [source], where,
                f"This line takes in a tensor{computed} made from `{source.name}` before this "
                "tape opened, in an earlier step: a value kept between steps (a cache, an "
                "attribute set once) is a constant to this tape, so it has no record linking "
                f"the loss to `{source.name}`. Recompute it inside the tape at every step.",
                variant="kept_between_steps")
        earlier = op
    return None


def op_location(call: GradientCall, node) -> Location | None:
    here = node.location
    if node.made_at is not None and (here is None or here == call.location):
        # Traced by fit from a functional model: no line of the user's is on the op's
        # stack but the fit call; the layer or operation was made on this line.
        return node.made_at
    return here


def blocker_location(call: GradientCall, blocker, cause: str) -> Location | None:
    """Where to edit. For a forward pass that ran outside the tape: when library code
    opened the tape (`optimizer.minimize`), the user's call that opened it (its loss
    callable must compute the loss); else the line that called the model (the read
    itself sits inside the model's own `call`)."""
    if cause != "outside_tape":
        return op_location(call, blocker)
    here = blocker.location
    if _made_once(blocker):
        return here  # computed once from the weights when the layer was made, reused since
    if opened_by_library(call) and call.tape_info.opened_at and not _loss_recorded(call):
        # `minimize(lambda: loss)`: the loss was made before; the function must make it
        return call.loss_callable_at or call.tape_info.opened_at
    entered = frames.line_in_running_frame(blocker.stack, call.frame)
    if entered is not None:
        return entered  # the line, in a function still running, that ran the forward pass
    return blocker.call_site or here


def _loss_recorded(call: GradientCall) -> bool:
    """Some op making the loss ran while the tape recorded (the loss function computed
    it, from values made before)."""
    nodes = (call.flow.producer(k) for k in call.target_keys)
    return any(n is not None and n.recording for n in nodes)


def _made_once(blocker) -> bool:
    """Read in a layer's `build` or `__init__`: a value computed once from the weights."""
    here = blocker.location
    if here is None:
        return False
    function = here.function
    if function.startswith("<") and function != "<module>":  # a comprehension, a lambda
        function = source_trace.enclosing_function(here)
    return function in ("build", "__init__")


# Ops whose missing gradient comes from how the code was written, not from the math.
_OP_WORDS = {
    "ReduceDataset": "Inside a tf.function, this Python `for` loop over a tf.data.Dataset "
    "became a dataset reduction (ReduceDataset), which has no gradient: every path from "
    "the variables to the loss goes through it.",
}


_OP_VARIANTS = {"ReduceDataset": "dataset_loop"}


def _assigned_metric(call: GradientCall, blocker) -> str:
    """The Keras Metric class whose state variable an assign blocker writes, or ''."""
    if blocker.op_type not in ASSIGN_OPS:
        return ""
    infos = (call.recorder.variables.get(h) for h in blocker.handles)
    return next((i.metric for i in infos if i is not None and i.metric), "")


def _is_loss_name(name: str) -> bool:
    import sys

    return any(hasattr(getattr(sys.modules.get(m), "losses", None), name)
               for m in ("keras", "tf_keras"))


def _blocker_variant(call: GradientCall, blocker) -> str:
    if _assigned_metric(call, blocker):
        return "metric_as_loss"
    if blocker.recording is False and _made_once(blocker):
        return "made_in_build"
    if blocker.recording is False and opened_by_library(call):
        return "loss_callable"
    if _values_left_out(call, blocker):
        return "values_left_out"
    return _OP_VARIANTS.get(blocker.op_type, "")


def _values_left_out(call: GradientCall, blocker) -> bool:
    """An op with a float output beside its integer one (top_k's values beside its
    indices) whose float output never reaches the loss: only the indices are used."""
    floats = [k for k, d in zip(blocker.outputs, blocker.out_dtypes)
              if getattr(d, "is_floating", False)]
    return bool(floats) and len(floats) < len(blocker.outputs) and not any(
        k in call.ancestry.toward or k in call.target_keys for k in floats)


def _blocker_message(call: GradientCall, cause: str, blocker, source: Source) -> str:
    op = blocker.op_type
    if cause == "outside_tape" and _made_once(blocker):
        return (f"`{source.name}` is read here, in `{source_trace.enclosing_function(blocker.location)}`, once, when "
                "the layer was made: the tensor computed from it is stored and reused by "
                "`call`, so the training step never reads the variable and the tape cannot "
                "link the loss to it. Compute that tensor inside `call`.")
    if cause == "outside_tape" and opened_by_library(call):
        return (f"`{source.name}` was read here while no tape was recording: this forward "
                "pass ran before the optimizer opened its own tape to call the loss "
                "function, and the loss function only reads its stored result, a constant "
                "for the tape.")
    if cause == "outside_tape":
        return (f"`{source.name}` was read here while no tape was recording: this forward "
                "pass ran before (or outside) `with tf.GradientTape()`, so the tape took its "
                "result in as a constant and has no record of how the loss depends on it.")
    if cause == "integer_cast":
        dtype = getattr(blocker.out_dtypes[0], "name", blocker.out_dtypes[0])
        return f"The values are cast to {dtype} here; no gradient flows through an integer cast."
    if cause == "stop_gradient":
        return "tf.stop_gradient on the values computed from the variables blocks every gradient."
    if cause == "numpy_function":
        return "The values go through tf.numpy_function, which has no gradient."
    if cause == "variable_assign":
        metric = _assigned_metric(call, blocker)
        if metric:
            return (f"This calls a Keras Metric, {metric}: a metric adds each batch's value "
                    "into its state variables by assignment and returns what it stored, so "
                    f"used as a loss it carries no gradient. Use `keras.losses.{metric}` "
                    "(or another loss) here." if _is_loss_name(metric) else
                    f"This calls a Keras Metric, {metric}: a metric adds each batch's value "
                    "into its state variables by assignment and returns what it stored, so "
                    "used as a loss it carries no gradient.")
        return ("The values are assigned to a variable and read back; the assignment is not "
                "differentiable.")
    if op in _OP_WORDS:
        return _OP_WORDS[op]
    floats = [d for d in blocker.out_dtypes if getattr(d, "is_floating", False)]
    what = f"{op}'s integer output (indices)" if floats and len(blocker.out_dtypes) > 1 else op
    if _values_left_out(call, blocker):
        return (f"{what} has no gradient, and only the indices are used on the way to the "
                f"loss: its values, the output that does carry a gradient, are left unused, "
                "so nothing links the scores it ranked back to the variables.")
    return f"{what} has no gradient, and every path from the variables to the loss goes through it."


def predict_evidence(call: GradientCall, source: Source) -> Finding | None:
    for predict in call.tape_info.predicts:
        step = PathStep(f"{predict.model_name}.predict", predict.location, "returns NumPy")
        if source.key in predict.handles:
            return call.finding(
                "predict_in_tape", [source], predict.location,
                f"{predict.model_name}.predict() ran inside the tape and returned NumPy values: "
                f"the tape cannot connect them to `{source.name}`.",
                graph=call.route_graph(source, [], cut=cut_op(step)))
        fed = ancestry(call.flow, predict.input_keys) if predict.input_keys else None
        if fed is None:
            continue
        route = _route_into(fed, source)
        if route is not None:
            path = evidence_path(route, None, source.name) + [step]
            return call.finding(
                "predict_in_tape", [source], predict.location,
                f"A tensor computed from `{source.name}` went into "
                f"{predict.model_name}.predict(), a separate prediction loop that returns "
                "NumPy values: the tape cannot follow the loss back through it.", path,
                graph=call.route_graph(source, route, cut=cut_op(step)))
    return None


def conversion_evidence(call: GradientCall, source: Source) -> Finding | None:
    for conversion in reversed(call.tape_info.conversions):
        evidence = _left_tensorflow(call, conversion, source)
        if evidence and conversion.how == "numpy_function":
            return call.finding(
                "numpy_function", [source], conversion.location,
                f"A tensor computed from `{source.name}` went into tf.numpy_function (or "
                "tf.py_func), which runs Python on NumPy copies of its inputs and has no "
                "gradient.", evidence[0], graph=evidence[1])
        if evidence and conversion.inside_py_func is not None:
            return call.finding(
                "numpy_function", [source], conversion.inside_py_func,
                f"`{source.name}` was used inside the Python function that tf.numpy_function "
                "runs here: tf.numpy_function has no gradient, so nothing computed inside it "
                "(the model call included) reaches the loss with a link to the variables.",
                evidence[0], graph=evidence[1], variant="model_inside")
        if evidence and conversion.how == "set_weights()" and conversion.key == source.key:
            return call.finding(
                "numpy_conversion", [source], conversion.location,
                f"`{source.name}` itself went into set_weights() (a layer made with "
                f"`weights=[...]` calls it when it is built), which copies its value through "
                "NumPy into that layer's own new variables: the forward pass reads those, with "
                f"no link to `{source.name}`.",
                evidence[0], graph=evidence[1], variant="variable_copied")
        if evidence and conversion.how == "set_weights()":
            return call.finding(
                "numpy_conversion", [source], conversion.location,
                f"A tensor computed from `{source.name}` went into set_weights(), which copies "
                "it through NumPy into the layer's variables: the forward pass then reads "
                "variables with no link to it. Compute with the new weights themselves "
                "(tensors, not the layer's variables) inside the tape.",
                evidence[0], graph=evidence[1])
        if evidence:
            return call.finding(
                "numpy_conversion", [source], conversion.location,
                f"A tensor computed from `{source.name}` was converted with {conversion.how} "
                "while the tape recorded; what the loss uses afterwards is a new constant "
                "with no link to the variables.", evidence[0], graph=evidence[1])
    return None


def _numpy_in_caller(call: GradientCall, source: Source) -> Finding | None:
    """A line of the step's function that put a tensor computed from `source` into NumPy
    (`np.argmax(logits)`, read in C where no patch sees it); what came out is NumPy."""

    if call.frame is None or call.location is None or not source.is_variable:
        return None
    memo = call._numpy_lines
    if memo is None:
        memo = call._numpy_lines = source_trace.numpy_results(
            call.frame, call.location.line, lambda v: is_tensor(call.recorder.tf, v))
    for line, tensor, name, expression in sorted(memo, key=lambda m: _selects(m[3])):
        converted = ancestry(call.flow, [call.flow.key(tensor)])
        reads = converted.reads.get(source.key)
        if not reads:
            continue
        where = Location(call.location.file, line, call.location.function)
        step = PathStep(expression, where, "left TensorFlow")
        route = converted.path_from(reads[0])
        return call.finding(
            "numpy_conversion", [source], where,
            f"`{name}`, a tensor computed from `{source.name}`, went into `{expression}`, "
            "which NumPy computed outside TensorFlow: what the loss uses afterwards is a new "
            "constant with no link to the variables.",
            evidence_path(route, None, source.name) + [step],
            graph=call.route_graph(source, route, cut=cut_op(step)))
    return None


# NumPy calls that pick an index from a tensor's values (an action sampled from a policy's
# probabilities): what they return is an index, rarely the loss's path.
_SELECTING_CALLS = ("random.choice", "argmax", "argmin", "random.multinomial")


def _selects(expression: str) -> bool:
    return any(name in expression for name in _SELECTING_CALLS)


def _route_into(anc: Ancestry, source: Source) -> list | None:
    """The ops from `source` (a variable's first read, or a tensor itself) to the targets of
    `anc`, or None when the source does not lead there."""
    if source.is_variable:
        reads = anc.reads.get(source.key)
        return anc.path_from(reads[0]) if reads else None
    if source.key in anc.targets or source.key in anc.toward:
        return [op for op, _ in anc.route_from_key(source.key)]
    return None


def _left_tensorflow(call: GradientCall, conversion, source: Source):
    """The path and picture from the variable's read to the conversion, or None if the
    variable does not lead there."""
    converted = ancestry(call.flow, [conversion.key])
    route = [] if source.is_variable and conversion.key == source.key else \
        _route_into(converted, source)  # (the variable itself copied out)
    if route is None:
        return None
    step = PathStep(f".{conversion.how}()" if conversion.how == "numpy" else conversion.how,
                    conversion.location, "left TensorFlow")
    return (evidence_path(route, None, source.name) + [step],
            call.route_graph(source, route, cut=cut_op(step)))


def left_tensorflow_all(call: GradientCall, conversion, missing: list[Source]):
    """The first variable's path, and a picture with every variable that leads there."""
    steps, graph = [], None
    for source in missing:
        evidence = _left_tensorflow(call, conversion, source)
        if evidence is None:
            continue
        if graph is None:
            steps, graph = evidence
        else:
            graph.merge(evidence[1])
    return steps, graph


def cut_op(step: PathStep) -> FlowOp:
    """Where the values left TensorFlow, as the picture's break."""
    return FlowOp(step.op, "", "break", step.note, fixed_location=step.location)
