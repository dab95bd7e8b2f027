"""Gradients asked with respect to a tensor rather than a variable: unwatched, integer,
made after the target, taken from another forward pass, or a loss that is not a tensor
at all."""
from __future__ import annotations

import linecache
import re

from gradtrace import frames
from gradtrace.analyze import source_trace
from gradtrace.analyze.call import GradientCall, Source, is_float, is_tensor
from gradtrace.analyze.cuts import (blocker_location, conversion_evidence, cut_finding, cut_op,
                                    left_tensorflow_all, predict_evidence)
from gradtrace.analyze.dataflow import ancestry
from gradtrace.analyze.evidence import evidence_path, first_blocker
from gradtrace.analyze.unused import unexplained
from gradtrace.findings import Finding, Location, PathStep


def tensor_source(call: GradientCall, source: Source) -> Finding:
    if source.dtype is not None and not is_float(source.dtype):
        return _integer_tensor(call, source)
    unrelated = _not_computed_from(call, source)
    if unrelated is not None:
        return unrelated
    if not _watched_by_this_tape(call, source):
        rebound = _rebound_variable(call, source)
        if rebound is not None:
            return rebound
        return _unwatched(call, source)
    if source.key not in call.ancestry.toward and source.key not in call.target_keys:
        return (predict_evidence(call, source) or conversion_evidence(call, source)
                or _unread_component(call, source) or _another_forward_pass(call, source))
    return cut_finding(call, source, set()) or unexplained(call, source, [])


def _unwatched(call: GradientCall, source: Source) -> Finding:
    """Where the watch belongs: after the line that makes the tensor inside the tape's
    block, or else inside the tape opened here."""
    opened = call.tape_info.opened_at
    made = None
    if call.frame is not None and opened is not None and source.name.isidentifier() \
            and opened.file == call.frame.f_code.co_filename:
        made = source_trace.made_inside_with(call.frame, opened.line, source.name)
    if made is not None:
        return call.finding(
            "unwatched_tensor", [source], Location(opened.file, made, opened.function),
            f"`{source.name}` is made here, inside the tape, as a plain tensor: a tape follows "
            f"variables by itself but a tensor only once watched. Add "
            f"`tape.watch({source.name})` right after this line, or make it a `tf.Variable`.")
    return call.finding(
        "unwatched_tensor", [source], opened,
        f"`{source.name}` is a plain tensor, not a variable, and the tape opened here never "
        f"watched it: add `tape.watch({source.name})` inside the tape.")


def _not_computed_from(call: GradientCall, source: Source) -> Finding | None:
    """A target that cannot depend on the tensor asked about, whatever is watched: the
    tensor was made after the target (a slice of the input, taken after the loss), or
    the target was made from constants alone."""
    if source.key in call.ancestry.toward or source.key in call.target_keys:
        return None
    shared = _left_tape_on_the_way(call, source)
    if shared is not None:
        return shared
    if _made_after_targets(call, source.key):
        return _made_after_target(call, source)
    if not call.ancestry.reads and call.frame is not None and call.location is not None:
        assigned = source_trace.constant_target_line(call.frame, call.location.line)
        if assigned is not None:
            name, line = assigned
            where = Location(call.location.file, line, call.location.function)
            return call.finding(
                "disconnected", [source], where,
                f"`{name}` is made here from constants alone: no operation links it to "
                f"`{source.name}`, so there is no gradient to take, watched or not. Compute "
                f"`{name}` from `{source.name}` inside the tape.", severity="error",
                variant="constant_target")
    return None


def _made_after_targets(call: GradientCall, key) -> bool:
    """The tensor asked about was made after the targets: any eager one; a traced one when
    it is written in the gradient call itself (`tf.gradients(loss, x + eta)`). (A traced
    tensor made on a line of its own before the call, from the input the target read
    too, is the target's mistake: `_shared_input`.)"""
    made = call.flow.made_order(key)
    targets = [call.flow.made_order(k) for k in call.target_keys]
    if made is None or not targets or not all(
            t is not None and t[0] == made[0] and t[1] < made[1] for t in targets):
        return False
    if isinstance(key, int):
        return True
    producer = call.flow.producer(key)
    asked_at = call.tape_info.opened_at if call.tape_info.graph_gradients else call.location
    return producer is not None and producer.location is not None and asked_at is not None \
        and producer.location.line == asked_at.line and producer.location.file == asked_at.file


def _left_tape_on_the_way(call: GradientCall, source: Source) -> Finding | None:
    """The tensor asked about was taken from an input the target was computed from (a
    row of it, say), and that input reached the target only through an op run while no
    tape recorded: that op is the cut, whichever tensor the gradient is asked for."""
    shared, reader = _shared_input(call, source)
    if shared is None:
        return None
    route = call.ancestry.route_from_key(shared)
    blocker, cause = first_blocker(route, call._blockers)
    if blocker is None or cause != "outside_tape" or blocker is not route[0][0]:
        return None  # (the input itself went in while the tape recorded)
    made = call.flow.producer(source.key)
    made_at = made.location if made is not None else None
    line = f" (line {made_at.line})" if made_at else ""
    return call.finding(
        "outside_tape", [source], blocker_location(call, blocker, cause),
        f"`{source.name}` is a tensor taken{line} from an input the target was computed "
        "from; that input reached the target only through this op, which ran while no tape "
        "was recording. Compute it inside the tape, then ask for the gradient with respect "
        "to the whole input and index the result.",
        evidence_path([op for op, _ in route], blocker, source.name), severity="error")


def _made_after_target(call: GradientCall, source: Source) -> Finding:
    """The tensor asked about was made after the target, from nothing the target used."""
    made = call.flow.producer(source.key)
    made_at = made.location if made is not None else None
    return call.finding(
        "wrong_sources", [source], made_at or call.location,
        f"`{source.name}` is made here, after the target was computed: a new tensor (a "
        "slice or copy made later is not the one the target was computed from), so the "
        "target does not depend on it. Ask for the gradient with respect to the tensor the "
        "target was computed from, and index the result.", severity="error",
        variant="made_after_target")


def _integer_tensor(call: GradientCall, source: Source) -> Finding:
    """Gradients with respect to an integer tensor (indices, token ids, labels) never
    exist: no gradient flows into integer values."""
    dtype = getattr(source.dtype, "name", source.dtype)
    user = next((n for n in call.ancestry.nodes if source.key in n.inputs), None)
    used_at = user.location if user is not None else None
    use = f", used by {user.op_type}" + (f" at line {used_at.line}" if used_at else "") \
        if user is not None else ""
    return call.finding(
        "integer_variable", [source], call.location,
        f"`{source.name}` is a tensor of {dtype}{use}: gradients exist only for "
        "floating-point values, so nothing flows back into integer indices, ids or labels.",
        severity="error", variant="integer_tensor",
        group=("integer_variable", "tensor", call.location))


def _rebound_variable(call: GradientCall, source: Source) -> Finding | None:
    """A tensor computed from a variable, under a name that the function rebinds to an
    expression of itself (`w = w - lr * dw`): the variable's update replaced it with a
    plain tensor, which no tape watches."""
    if call.frame is None or not isinstance(source.key, int):
        return None
    reads = ancestry(call.flow, [source.key], limit=10_000).reads
    variables = [call.recorder.variables[h] for h in reads if h in call.recorder.variables]
    line = source_trace.rebinding_update(call.frame, source.name) if variables else None
    if line is None:
        return None
    where = Location(call.location.file, line, call.location.function)
    return call.finding(
        "unwatched_tensor", [source], where,
        f"`{source.name}` was the variable `{variables[0].name}`, but this line rebinds the "
        f"name to a new value computed from it: from then on `{source.name}` is a plain "
        "tensor, which the tape does not watch, and the variable itself is never updated.",
        severity="error", variant="variable_rebound")


def _watched_by_this_tape(call: GradientCall, source: Source) -> bool:
    """Watched explicitly, or computed by an op this very tape recorded (an eager tensor
    made before the tape opened, under another tape, is not)."""
    if source.key in call.tape_info.watched_keys or call.tape_info.graph_gradients:
        return True
    if isinstance(source.key, int):
        node = call.recorder.producers.get(source.key)
        return source.key > call.tape_info.start_key and node is not None and bool(node.recording)
    own = ancestry(call.flow, [source.key])
    return any(r.recording for reads in own.reads.values() for r in reads)


def _another_forward_pass(call: GradientCall, source: Source) -> Finding:
    """The tensor asked about is not on the target's path, though both were computed from
    one input: the target read that input on another path (a second call of the model,
    for Grad-CAM; the prediction made from `x` rather than from its interpolations)."""
    made = call.flow.producer(source.key)
    made_at = made.location if made is not None else None
    shared, reader = _shared_input(call, source)
    called = next((n.call_site for n in call.ancestry.nodes if n.call_site is not None), None)
    if reader is not None and reader.call_site is None and reader.location is not None:
        origin = f" (made at line {made_at.line})" if made_at else ""
        return call.finding(
            "wrong_sources", [source], reader.location,
            f"`{source.name}`{origin} and the target are both computed from the same input, "
            f"but the target does not go through `{source.name}`: it reads that input here, "
            f"on another path. Compute the target from `{source.name}`.", severity="error",
            variant="target_from_other_path")
    where = (reader.call_site if reader is not None else None) or called or call.location
    origin = f" (computed at line {made_at.line})" if made_at and made_at != where else ""
    return call.finding(
        "wrong_sources", [source], where,
        f"`{source.name}`{origin} is not on the path to the target: the target was computed by "
        "another forward pass, here, which makes its own copy of that tensor. Compute both "
        "from one call (for Grad-CAM, one model whose outputs are the layer's output and the "
        "prediction).", severity="error", variant="another_forward_pass")


# the parts of a composite tensor besides its values, as `sparse.values` is asked about
SIBLING_PARTS = {"values": ("indices", "dense_shape", "row_splits", "nested_row_splits"),
                 "flat_values": ("nested_row_splits",)}


def _unread_component(call: GradientCall, source: Source) -> Finding | None:
    """`tape.gradient(target, a.values)` for a SparseTensor (or ragged) `a` whose other
    parts the target reads (a layer that uses only `a.indices`): the values never reach
    the target, so their gradient is None."""
    owner_name, _, part = source.name.rpartition(".")
    frame = call.frame
    if part not in SIBLING_PARTS or not owner_name.isidentifier() or frame is None:
        return None
    owner = frames.value_named(frame, owner_name)
    siblings = {}
    for name in SIBLING_PARTS[part]:
        for value in _as_list(getattr(owner, name, None)):
            if is_tensor(call.recorder.tf, value):
                siblings[call.flow.key(value)] = name
    readers = [(node, siblings[k]) for node in call.ancestry.nodes for k in node.inputs
               if k in siblings and node.location is not None]
    if not readers:
        return None
    node, name = min(readers, key=lambda r: (r[0].location.file, r[0].location.line))
    return call.finding(
        "disconnected", [source], node.location,
        f"`{source.name}` is watched, but the target never reads it: what computes the target "
        f"uses `{owner_name}.{name}` (here) and not `{owner_name}.{part}`, so the gradient with "
        f"respect to `{source.name}` is None. Use the values where the target is computed "
        f"(as edge weights, say), or stop asking for their gradient.", severity="error",
        variant="unread_part")


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _shared_input(call: GradientCall, source: Source):
    """The nearest tensor that `source` was computed from and that the target depends on
    too, and the op through which the target read it."""
    own = ancestry(call.flow, [source.key], limit=20_000)
    for node in own.nodes:
        for key in node.inputs:
            if key in call.ancestry.toward:
                return key, call.ancestry.toward[key][0]
    return None, None


def numpy_target(call: GradientCall, missing: list[Source]) -> Finding:
    if call.target_variables and missing and not any(s.is_variable for s in call.sources):
        return _swapped_arguments(call)
    if call.tape_info.predicts:
        return _target_from_predict(call, missing, call.tape_info.predicts[-1])
    for conversion in reversed(call.tape_info.conversions):
        steps, graph = left_tensorflow_all(call, conversion, missing)
        if not steps and len(call.tape_info.conversions) > 1:
            continue
        return call.finding(
            "numpy_conversion", missing, conversion.location,
            f"The loss passed to tape.gradient is a {call.target_type}, not a tensor: the "
            f"values left TensorFlow through {conversion.how} here.", steps, graph=graph)
    return _numpy_target_from_source(call, missing) or call.finding(
        "numpy_conversion", missing, call.location,
        f"The loss passed to tape.gradient is a {call.target_type}, not a tensor.")


def _swapped_arguments(call: GradientCall) -> Finding:
    """Variables as the target and a tensor as the source: `get_updates(params, loss)` in
    the Keras 1 order, or `tape.gradient(weights, loss)`."""
    return Finding(
        cause="wrong_sources", variables=list(call.target_variables), location=call.location,
        severity="error", variant="swapped_arguments",
        message="The loss and the variables are swapped: the gradient was asked of the "
        f"variables ({call.target_type}s) with respect to the loss tensor, so nothing connects "
        "them that way round. The loss comes first: `tape.gradient(loss, variables)`, "
        "`optimizer.get_updates(loss=loss, params=model.trainable_weights)`.")


def _target_from_predict(call: GradientCall, missing: list[Source], predict) -> Finding:
    """predict() ran under this tape and the loss is NumPy: predict's own result is."""
    step = PathStep(f"{predict.model_name}.predict", predict.location, "returns NumPy")
    line = linecache.getline(predict.location.file, predict.location.line) \
        if predict.location else ""
    written = re.search(r"([\w.\[\]]+)\.predict(?:_on_batch)?\(", line)
    model = written.group(1) if written else predict.model_name
    return call.finding(
        "predict_in_tape", missing, predict.location,
        f"The loss passed to tape.gradient is a {call.target_type}, not a tensor: "
        f"`{model}.predict()` ran inside the tape and returns NumPy values, which the tape "
        f"cannot follow back to the model. Call the model itself (`{model}(x)`), which "
        "returns a tensor.", [step])


def _numpy_target_from_source(call: GradientCall, missing: list[Source]) -> Finding | None:
    """NumPy functions read tensors in C, unseen: find the line in the caller's source."""
    if call.frame is None or call.location is None:
        return None
    found = source_trace.find_conversion(call.frame, call.location.line,
                            lambda v: is_tensor(call.recorder.tf, v))
    if found is None:
        return None
    if found.tensor is None:  # in a function the step called
        where = Location(found.file, found.line, found.function)
        return call.finding(
            "numpy_conversion", missing, where,
            f"The loss passed to tape.gradient is a {call.target_type}, not a tensor: "
            f"{found.function}() returns `{found.expression}`, computed outside TensorFlow.",
            [PathStep(found.expression, where, "left TensorFlow")])
    where = Location(call.location.file, found.line, call.location.function)
    converted = ancestry(call.flow, [call.flow.key(found.tensor)])
    steps, graph = [], None
    step = PathStep(found.expression, where, "left TensorFlow")
    for source in missing:
        reads = converted.reads.get(source.key)
        if not reads:
            continue
        route = converted.path_from(reads[0])
        if graph is None:
            steps = evidence_path(route, None, source.name)
            graph = call.route_graph(source, route, cut=cut_op(step))
        else:
            graph.merge(call.route_graph(source, route, cut=cut_op(step)))
    steps.append(step)
    return call.finding(
        "numpy_conversion", missing, where,
        f"The loss passed to tape.gradient is a {call.target_type}, not a tensor: "
        f"`{found.tensor_name}` (a tensor) went into `{found.expression}`, which NumPy "
        "computed outside TensorFlow.", steps, graph=graph)
