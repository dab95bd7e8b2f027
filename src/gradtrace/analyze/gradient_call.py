"""Explain one `tape.gradient` call: which sources got nothing, and why.

Every finding rests on what was recorded: the path of ops from a variable's
read to the loss and the first op on it that lets no gradient through; the
variables the loss really reads; conversions to NumPy and `predict` calls
made while the tape recorded; the Nones a custom gradient returned.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from gradtrace import frames
from gradtrace.analyze import dead_end, source_trace
from gradtrace.analyze.dataflow import Ancestry, GraphFlow, ancestry
from gradtrace.analyze.evidence import (PY_FUNC_OPS, evidence_path, first_blocker,
                                        forget_registrations, reads_with_gradient)
from gradtrace.analyze.flowgraph import FlowGraph, FlowOp
from gradtrace.analyze.gradient_values import target_location, value_findings, zero_by_construction
from gradtrace.findings import Finding, Location, PathStep
from gradtrace.record.events import (ASSIGN_OPS, READ_OPS, TapeInfo, VariableInfo,
                                     responsible_freeze)
from gradtrace.record.recorder import handle_keys, variable_name


@dataclass
class Source:
    name: str
    key: Any
    is_variable: bool
    dtype: Any
    info: VariableInfo | None = None
    object_type: str = ""  # a source that is neither a tensor nor a variable (a Model)


@dataclass
class GradientCall:
    recorder: Any
    tape: Any
    tape_info: TapeInfo
    flow: GraphFlow
    compiled: bool
    target_keys: tuple
    target_type: str
    sources: list[Source]
    results: list | None
    exc: BaseException | None
    location: Location | None
    custom_nones: list = field(default_factory=list)
    watched_handles: frozenset = frozenset()
    frame: Any = None  # the user's frame that called tape.gradient, alive while diagnosing
    loss_callable_at: Location | None = None  # `minimize(loss_fn)`: where loss_fn is defined
    variables: dict = field(default_factory=dict)  # source key -> the variable asked about
    loss_value: float | None = None  # an eager scalar target's value
    _ancestry: Ancestry | None = None
    _graphs: dict = field(default_factory=dict)  # the picture for each blocker
    _blockers: dict = field(default_factory=dict)  # first_blocker's answers, per route step
    _numpy_lines: list | None = None  # the caller's lines that turned tensors into NumPy

    @classmethod
    def build(cls, recorder, tape, info, target, sources, result, call_frame, exc, custom_nones):
        tf = recorder.tf
        flow = GraphFlow(recorder, symbolic_gradient=info.graph_gradients)
        flat_targets = tf.nest.flatten(target)
        target_keys = tuple(flow.key(t) for t in flat_targets if _is_tensor(tf, t))
        target_type = type(flat_targets[0]).__name__ if flat_targets else "None"
        flat_sources = tf.nest.flatten(sources)
        recorder.qualify_legacy_names(frames.user_frame(call_frame))
        names = _local_names(call_frame)
        user = frames.user_frame(call_frame)
        if len(flat_sources) == 1 and user is not None:
            asked = source_trace.sources_name(user, user.f_lineno)
            if asked and asked in user.f_locals and user.f_locals[asked] is flat_sources[0]:
                names[id(flat_sources[0])] = asked  # the name written at the call
            elif id(flat_sources[0]) not in names and _is_tensor(tf, flat_sources[0]):
                written = source_trace.sources_expression_at(info.opened_at) \
                    if info.graph_gradients and info.opened_at else \
                    source_trace.sources_expression(user, user.f_lineno)
                if written and len(written) <= 40:
                    names[id(flat_sources[0])] = written  # `pic[0]`
        built = [_source(recorder, flow, s, names) for s in flat_sources]
        results = None
        if exc is None:
            results = tf.nest.flatten(result)
            if len(results) != len(built):
                results = None
        watched = frozenset()
        try:
            watched = frozenset(_handle_key(v) for v in tape.watched_variables())
        except Exception:  # noqa: BLE001  (a tape already released)
            pass
        location, frame = frames.user_location(call_frame), frames.user_frame(call_frame)
        if info.graph_gradients:
            compiled = True  # symbolic: no values to look at
            if info.opened_at != location:  # in a tf.function: the traced line
                location, frame = info.opened_at, None
        else:
            compiled = tf.inside_function()
        variables = {b.key: s for b, s in zip(built, flat_sources) if b.is_variable}
        return cls(recorder, tape, info, flow, compiled, target_keys, target_type,
                   built, results, exc, location, custom_nones, watched, frame,
                   _loss_callable_location(call_frame), variables, _scalar_value(flat_targets))

    @property
    def ancestry(self) -> Ancestry:
        if self._ancestry is None:
            self._ancestry = ancestry(self.flow, self.target_keys)
        return self._ancestry

    @functools.cached_property
    def gradient_reads(self) -> set:
        """The variables the targets reach through ops that let a gradient through."""
        return reads_with_gradient(self.flow, self.target_keys)

    @functools.cached_property
    def live_lines(self) -> set:
        """The user lines that ops on the way to the loss ran under."""
        return dead_end.live_lines(self.ancestry.nodes)

    @functools.cached_property
    def step_ops(self) -> list:
        """The eager ops logged since the tape opened, oldest first."""
        return dead_end.step_ops(self.recorder, self.tape_info.start_key)

    @functools.cached_property
    def loss_location(self) -> Location | None:
        return target_location(self)

    def route_graph(self, source: Source, route: list, blocker=None, cut=None) -> FlowGraph:
        """The picture `source`'s route goes into: one per blocker, shared by every
        variable cut off there (their routes share most of their ops)."""
        if cut is not None:
            return FlowGraph.from_route(source.name, route, blocker, self.loss_location, cut)
        graph = self._graphs.get(id(blocker))
        if graph is None:
            graph = self._graphs[id(blocker)] = FlowGraph(loss_location=self.loss_location)
        graph.add_route(source.name, route, blocker)
        return graph

    def finding(self, cause: str, sources, location, message: str, path=(), **kw) -> Finding:
        return Finding(cause=cause, message=message, variables=[s.name for s in sources],
                       location=location or self.location, path=list(path), **kw)


def _scalar_value(targets: list) -> float | None:
    """The value of a single eager scalar target (the loss), else None."""
    if len(targets) != 1 or not hasattr(targets[0], "_numpy"):
        return None
    try:
        value = targets[0]._numpy()
        return float(value) if getattr(value, "size", 0) == 1 else None
    except Exception:  # noqa: BLE001  (a symbolic tensor, a non-numeric dtype)
        return None


def _loss_callable_location(frame) -> Location | None:
    """Where the user's loss function that library code (`optimizer.minimize(loss_fn)`)
    called under its own tape is defined: it is what must compute the loss."""
    while frame is not None and not frames.is_user_file(frame.f_code.co_filename):
        value = frame.f_locals.get("loss")
        code = getattr(value, "__code__", None)
        if callable(value) and code is not None and frames.is_user_file(code.co_filename):
            return Location(code.co_filename, code.co_firstlineno, code.co_name)
        frame = frame.f_back
    return None


def _is_tensor(tf, value) -> bool:
    """A tensor of this run (eager or traced): not a variable, not a Keras functional
    model's symbolic KerasTensor (which tf.is_tensor accepts under tf-keras)."""
    return tf.is_tensor(value) and not hasattr(value, "assign") and \
        type(value).__name__ != "KerasTensor"


def _handle_key(variable):
    keys = handle_keys(variable)
    return keys[0] if keys else None


_DEFAULT_VARIABLE_NAME = re.compile(r"Variable(_\d+)?")  # tf.Variable without `name=`


def _source(recorder, flow, value, names) -> Source:
    if hasattr(value, "assign"):
        info = recorder.variable_info(value)
        try:
            handle = value.handle  # in a replica: this replica's component
            key = handle._id if type(handle).__name__ == "EagerTensor" else flow.key(handle)
        except Exception:  # noqa: BLE001
            key = _handle_key(value)
        name = info.name if info else variable_name(value)
        if _DEFAULT_VARIABLE_NAME.fullmatch(name) and names.get(id(value)):
            name = f"{names[id(value)]} ({name})"  # `x = tf.Variable(0.5)`: the user's `x`
        return Source(name, key, True, value.dtype, info)
    name = names.get(id(value)) or getattr(value, "name", None) or type(value).__name__
    if not _is_tensor(recorder.tf, value):
        return Source(name, id(value), False, None, object_type=type(value).__name__)
    return Source(name, flow.key(value), False, getattr(value, "dtype", None))


def _local_names(frame) -> dict[int, str]:
    """Names the user gave to values in the calling frame, to name plain tensors. Inside a
    tf.function the caller is autograph's rewrite of the user's function: its locals keep
    the user's names, so every rewritten frame up to the first user frame counts (the
    innermost name wins)."""
    names: dict[int, str] = {}
    for frame in frames.frames_up_to_user(frame):
        for name, value in frame.f_locals.items():
            if not name.startswith("_") and not name.startswith("ag__"):
                names.setdefault(id(value), name)
    return names


# --------------------------------------------------------------------- diagnose
def diagnose(call: GradientCall) -> list[Finding]:
    forget_registrations()
    findings = _diagnose(call)
    for finding in findings:
        if finding.graph is not None:  # the edges between drawn ops that no route took
            finding.graph.connect(call.flow.producer)
    return findings


def _diagnose(call: GradientCall) -> list[Finding]:
    objects = [s for s in call.sources if s.object_type]
    if objects and call.target_type != "KerasTensor":
        return [_object_sources(call, objects)]
    if call.exc is not None:
        return _diagnose_exception(call)
    if call.results is None:
        return []
    if not call.sources and call.target_keys:
        return _nothing_requested(call)
    findings = _untracked(call) if call.target_keys else []
    missing = [s for s, r in zip(call.sources, call.results) if r is None]
    if missing:
        findings += _explain_missing(call, missing)
    elif call.results and call.target_keys:
        findings += zero_by_construction(call) or (
            value_findings(call) if not call.compiled else [])
    return findings


def _explain_missing(call: GradientCall, missing: list[Source]) -> list[Finding]:
    got = [s for s, r in zip(call.sources, call.results) if r is not None]
    if not call.target_keys:
        return [_numpy_target(call, missing)]
    if call.custom_nones:
        return [_custom_gradient_none(call, missing)]
    findings: list[Finding] = []
    remaining, integers, statistics = [], [], []
    constant = _loss_from_predict(call, missing)
    if constant is not None:
        return [constant]
    for source in missing:
        if not source.is_variable:
            findings.append(_tensor_source(call, source))
        elif call.tape_info.watch_accessed_variables is False and source.key not in call.watched_handles:
            findings.append(call.finding(
                "unwatched_tensor", [source], call.tape_info.opened_at,
                f"The tape was opened with watch_accessed_variables=False and `{source.name}` "
                "was never passed to tape.watch().", severity="error"))
        elif source.info is not None and not _is_float(source.dtype):
            integers.append(source)
        elif source.info is not None and not source.info.trainable and \
                source.key not in call.watched_handles:
            statistics.append(source)
        else:
            remaining.append(source)
    if statistics:
        findings.append(_non_trainable(call, statistics))
    if integers:
        first = integers[0]
        findings.append(call.finding(
            "integer_variable", integers, first.info.created_at,
            f"`{first.name}` is a {first.info.dtype} variable: gradients exist only for "
            "floating-point variables.", severity="error"))
        _mention_all_variables(findings[-1])
    if remaining:
        findings += _explain_cut_off(call, remaining, got)
    return _merge(findings) if len(findings) > 1 else findings


def _explain_cut_off(call: GradientCall, missing: list[Source], got: list[Source]) -> list[Finding]:
    """Each variable's gradient path followed to where it ends. A cut that its values
    reached (a blocker on the way to the loss, NumPy, predict) explains it, and wins over
    what follows from it (the loss then depends on other variables only). Only variables
    whose values reached no cut are unused, or, when nothing the gradient was asked for
    is used, the wrong sources."""
    shown: set = set()  # blockers whose evidence path is already built
    cuts = {id(s): _cut_finding(call, s, shown) for s in missing}
    findings = [f for f in cuts.values() if f is not None]
    if findings and all(f.cause == "outside_tape" for f in findings):
        # Running a model before the tape is how a step holds it fixed (a GAN's
        # discriminator step): when the tape did record other variables on the way to
        # the loss, the step trains those, and asking for these is the mistake.
        wrong = _wrong_sources(call, missing, got)
        if wrong:
            return wrong
    uncut = [s for s in missing if cuts[id(s)] is None]
    if uncut and not findings and not got:
        findings += _values_from_python(call, uncut)
        uncut = [s for s in uncut if not findings]
    if uncut and not findings and not got:
        constant = _loss_without_variables(call, uncut)
        if constant is not None:
            return [constant]
    if uncut:
        wrong = [] if findings else _wrong_sources(call, uncut, got)
        findings += wrong or _output_without_loss(call, [_unexplained(call, s, got) for s in uncut])
    return _merge(findings)


def _loss_without_variables(call: GradientCall, missing: list[Source]) -> Finding | None:
    """No variable at all is read on the way to the loss, and the loss was made in the
    user's code: the line that made it, from constants or data alone, is the cut (a
    branch of a loss function that returns a constant). (A model output computed before
    the tape is a cut found earlier: its ops were recorded.)"""
    if call.ancestry.reads:
        return None
    made_at = _loss_made_at(call)
    if made_at is None:
        return None
    return call.finding(
        "disconnected", missing, made_at,
        f"The loss is made here from constants or data alone: no variable, and nothing computed "
        f"from one (the model's output), goes into it, so `{missing[0].name}` and every "
        "other variable has no gradient. Make the loss from the model's output on every "
        "path through this code.", severity="error", variant="constant_target")


def _loss_made_at(call: GradientCall) -> Location | None:
    """The nearest op on the way back from the loss that ran at a line of the user's
    own, other than the gradient call's (a loss function's `return`)."""
    seen, layer = set(), [call.flow.producer(k) for k in call.target_keys]
    for _ in range(50):
        nodes = [n for n in layer if n is not None and id(n) not in seen]
        if not nodes:
            return None
        for node in nodes:
            here = node.location
            if here is not None and here != call.location:
                return here
        seen.update(id(n) for n in nodes)
        layer = [call.flow.producer(k) for n in nodes for k in n.inputs]
    return None


def _output_without_loss(call: GradientCall, findings: list[Finding]) -> list[Finding]:
    """Unused variables of a model whose compile gave some outputs no loss: when the
    unused variables include such an output's own layer, that is the cut-off part."""
    missing, compiled_at = call.recorder.training
    unused = [f for f in findings if f.cause == "unused_variable"]
    names = [name for f in unused for name in f.variables]
    outputs = [o for o in missing if any(o in name.split("/") for name in names)]
    if not outputs or compiled_at is None:
        return _one_per_unused_part(call, findings)
    listed = ", ".join(f"`{o}`" for o in outputs)
    part = Finding(
        cause="unused_variable", variables=names,
        location=source_trace.keyword_line(compiled_at, "loss"),
        message=f"The model's output {listed} has no loss in this `compile(loss=...)`: Keras "
        "computes the loss over the outputs given one, so the layers that feed only "
        f"{listed} ({len(names)} variables) take no part in it.",
        variant="output_without_loss")
    return [part] + [f for f in findings if f.cause != "unused_variable"]


# tf.numpy_function's ops, and tf.py_function's: either way, Python made the values.
_PY_FUNCTION_OPS = PY_FUNC_OPS | {"EagerPyFunc"}


def _values_from_python(call: GradientCall, missing: list[Source]) -> list[Finding]:
    """No requested variable is read on the way to the loss, and what the loss depends on
    came out of tf.numpy_function / tf.py_function: Python computed it, where the tape
    cannot follow (a model run inside the function is invisible to the gradient)."""
    anc = call.ancestry
    if any(anc.reads.get(s.key) for s in missing):
        return []

    node = next((n for n in anc.nodes if n.op_type in _PY_FUNCTION_OPS), None)
    if node is None:
        return []
    where = source_trace.call_line(node.location, ("numpy_function", "py_function", "py_func"))
    return [call.finding(
        "numpy_function", missing, where,
        f"The loss is computed from what {_py_function_name(node)} returned, and nothing "
        f"else reads `{missing[0].name}` on the way to the loss: values computed in Python "
        "(the model run inside the function included) have no gradient.",
        [PathStep(node.op_type, node.location, "no gradient flows past this op")])]


def _py_function_name(node) -> str:
    return "tf.py_function" if node.op_type == "EagerPyFunc" else "tf.numpy_function"


def _one_per_unused_part(call: GradientCall, findings: list[Finding]) -> list[Finding]:
    """Unused variables of one layer are shown where that layer is; those of several
    layers (a backbone's last stack that nothing reads) are one part of the model left
    out of the loss: one finding, at the line that built the list of variables asked
    for (else the gradient call)."""
    unused = [f for f in findings if f.cause == "unused_variable"]
    if len({f.group or f.location for f in unused}) <= 1:
        return findings
    names = [name for f in unused for name in f.variables]
    layers = len({f.location for f in unused})
    part = Finding(cause="unused_variable", variables=names, location=_sources_location(call),
                   message=f"`{names[0]}` from {layers} layers take no part in the loss: "
                   "nothing on the way to the loss reads them, while the other variables train.",
                   variant="model_part")
    return [part] + [f for f in findings if f.cause != "unused_variable"]


def _sources_location(call: GradientCall) -> Location | None:

    if call.frame is None or call.location is None:
        return call.location
    line = source_trace.sources_line(call.frame, call.location.line)
    if line is None:
        return call.location
    return Location(call.location.file, line, call.location.function)


def _merge(findings: list[Finding]) -> list[Finding]:
    """One finding per (cause, location), naming all the variables it concerns."""
    grouped: dict[tuple, Finding] = {}
    also: dict[tuple, list[int]] = {}  # the same mistake's other lines, per group
    for finding in findings:
        key = finding.group or (finding.cause, finding.location)
        if key in grouped:
            line = finding.location.line if finding.location else None
            first = grouped[key].location
            if line is not None and first is not None and line != first.line \
                    and line not in also.setdefault(key, []):
                also[key].append(line)
            grouped[key].variables.extend(v for v in finding.variables
                                          if v not in grouped[key].variables)
            if finding.graph is not None and finding.graph is not grouped[key].graph:
                if grouped[key].graph is None:
                    grouped[key].graph = finding.graph
                else:
                    grouped[key].graph.merge(finding.graph)
        else:
            grouped[key] = finding
    for key, lines in also.items():
        if lines:
            listed = ", ".join(map(str, lines[:-1])) + (" and " if len(lines) > 1 else "") \
                + str(lines[-1])
            grouped[key].message += f" The same happens at line{'s' if len(lines) > 1 else ''} {listed}."
    for finding in grouped.values():
        _mention_all_variables(finding)
    return list(grouped.values())


def _mention_all_variables(finding: Finding) -> None:
    """The message names its first variable; say how many more the finding covers."""
    first, others = finding.variables[0], len(finding.variables) - 1
    if others and f"`{first}` (and " not in finding.message:  # (merged twice)
        more = f"`{first}` (and {others} more variable{'s' if others > 1 else ''})"
        finding.message = finding.message.replace(f"`{first}`", more, 1)


def _cut_finding(call: GradientCall, source: Source, shown: set) -> Finding | None:
    """Where `source`'s values stopped carrying a gradient, or None when they reached no
    recorded cut."""
    predicted = _predict_evidence(call, source)
    if predicted is not None:
        return predicted
    anc = call.ancestry
    reads = anc.reads.get(source.key, [])
    if not source.is_variable and source.key in anc.toward:
        route = anc.route_from_key(source.key)  # a watched tensor: from its first consumer
        blocker, cause = first_blocker(route, call._blockers)
        if blocker is not None:
            path = [op for op, _ in route]
            return call.finding(cause, [source], _blocker_location(call, blocker, cause),
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
            where = _blocker_location(call, blocker, cause)
            return call.finding(cause, [source], where,
                                _blocker_message(call, cause, blocker, source),
                                evidence_path(path, blocker, source.name) if first else [],
                                graph=call.route_graph(source, path, blocker),
                                group=(cause, blocker.op_type, where.file, where.function)
                                if where else (), variant=_blocker_variant(call, blocker))
    converted = _conversion_evidence(call, source) or _numpy_in_caller(call, source)
    if converted is not None or not reads:
        return converted
    return call.finding("disconnected", [source], reads[0].location,
                        f"`{source.name}` is read on the way to the loss, but no recorded "
                        "operation explains why its gradient is missing.",
                        evidence_path(path, None, source.name),
                        graph=call.route_graph(source, path))


def _unexplained(call: GradientCall, source: Source, got: list) -> Finding:
    """A variable whose values reached neither the loss nor any cut."""
    return _unused(call, source, got) or call.finding(
        "disconnected", [source], call.location,
        f"`{source.name}` is not read anywhere on the way to the loss.")


def _op_location(call: GradientCall, node) -> Location | None:
    here = node.location
    if node.made_at is not None and (here is None or here == call.location):
        # Traced by fit from a functional model: no line of the user's is on the op's
        # stack but the fit call; the layer or operation was made on this line.
        return node.made_at
    return here


def _blocker_location(call: GradientCall, blocker, cause: str) -> Location | None:
    """Where to edit. For a forward pass that ran outside the tape: when library code
    opened the tape (`optimizer.minimize`), the user's call that opened it (its loss
    callable must compute the loss); else the line that called the model (the read
    itself sits inside the model's own `call`)."""
    if cause != "outside_tape":
        return _op_location(call, blocker)
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


def opened_by_library(call: GradientCall) -> bool:
    """The tape was opened by library code, such as `optimizer.minimize(loss_fn)`."""
    site = call.tape_info.site[0]
    return not frames.is_user_file(site) and "__autograph_generated" not in site


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
    return _OP_VARIANTS.get(blocker.op_type, "")


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
    return f"{what} has no gradient, and every path from the variables to the loss goes through it."


def _wrong_sources(call: GradientCall, missing: list[Source], got: list[Source]) -> list[Finding]:
    """None of the requested variables feeds the loss, while others do, under this tape."""
    if got:
        return []
    anc = call.ancestry
    requested = {s.key for s in call.sources}
    recorded = {key for key, reads in anc.reads.items()
                if any(r.recording is not False for r in reads)}
    if recorded & requested:
        return []
    used = [key for key in recorded if _trainable(call, key) and key not in requested]
    if not used:
        return []
    used_names = sorted({_name_of(call, key) for key in used})
    shown = ", ".join(used_names[:4]) + (" ..." if len(used_names) > 4 else "")
    return [call.finding(
        "wrong_sources", missing, call.location,
        f"The loss depends on {shown}, but the gradient was asked for other variables, none "
        "of which takes part in the loss.")]


def _trainable(call: GradientCall, key) -> bool:
    info = call.recorder.variables.get(key)
    return info is None or info.trainable


def _name_of(call: GradientCall, key) -> str:
    info = call.recorder.variables.get(key)
    return info.name if info else f"variable #{key}"


def _loss_from_predict(call: GradientCall, missing: list[Source]) -> Finding | None:
    """predict() ran inside the tape, and the loss depends on no variable and on none of
    the sources: it was computed from predict's NumPy result, whatever was asked for."""
    predicts = call.tape_info.predicts
    anc = call.ancestry
    if not predicts or anc.reads or any(s.key in anc.toward for s in missing):
        return None
    predict = predicts[-1]
    model = source_trace.method_owner(predict.location, "predict") or predict.model_name
    return call.finding(
        "predict_in_tape", missing, predict.location,
        f"The loss is computed from what `{model}.predict()` returned: NumPy values, with no "
        f"record of the model or its input. Call the model itself (`{model}(x)`) inside the "
        "tape.",
        [PathStep(f"{predict.model_name}.predict", predict.location, "returns NumPy")])


def _predict_evidence(call: GradientCall, source: Source) -> Finding | None:
    for predict in call.tape_info.predicts:
        step = PathStep(f"{predict.model_name}.predict", predict.location, "returns NumPy")
        if source.key in predict.handles:
            return call.finding(
                "predict_in_tape", [source], predict.location,
                f"{predict.model_name}.predict() ran inside the tape and returned NumPy values: "
                f"the tape cannot connect them to `{source.name}`.",
                graph=call.route_graph(source, [], cut=_cut(step)))
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
                graph=call.route_graph(source, route, cut=_cut(step)))
    return None


def _conversion_evidence(call: GradientCall, source: Source) -> Finding | None:
    for conversion in reversed(call.tape_info.conversions):
        evidence = _left_tensorflow(call, conversion, source)
        if evidence and conversion.how == "numpy_function":
            return call.finding(
                "numpy_function", [source], conversion.location,
                f"A tensor computed from `{source.name}` went into tf.numpy_function (or "
                "tf.py_func), which runs Python on NumPy copies of its inputs and has no "
                "gradient.", evidence[0], graph=evidence[1])
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
            call.frame, call.location.line, lambda v: _is_tensor(call.recorder.tf, v))
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
            graph=call.route_graph(source, route, cut=_cut(step)))
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
    route = _route_into(converted, source)
    if route is None:
        return None
    step = PathStep(f".{conversion.how}()" if conversion.how == "numpy" else conversion.how,
                    conversion.location, "left TensorFlow")
    return (evidence_path(route, None, source.name) + [step],
            call.route_graph(source, route, cut=_cut(step)))


def _left_tensorflow_all(call: GradientCall, conversion, missing: list[Source]):
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


def _cut(step: PathStep) -> FlowOp:
    """Where the values left TensorFlow, as the picture's break."""
    return FlowOp(step.op, "", "break", step.note, fixed_location=step.location)


def _unused(call: GradientCall, source: Source, got: list[Source]) -> Finding | None:
    if not got:
        return None
    where = _unused_location(call, source.key)
    info = source.info
    created = info.created_at if info else None
    defined = f", created at line {created.line}," if created and created != where else ""
    # Layers computed in one function whose results are dropped (`output = self.l2(x)`
    # overwriting `output = self.l1(x)`) are one mistake, shown at its first line.
    # (tf-keras makes a layer's variables at its first call: the read is the creation)
    computed = where is not None and (where != created or
                                      where.function not in ("<module>", "__init__", "build"))
    dropped = _dropped_added_loss(call, source)
    if dropped is not None:
        return dropped
    guarded = source_trace.guarded_use(where)
    if guarded is not None:
        guard_at = Location(where.file, guarded.guard_line, source_trace.enclosing_function(
            Location(where.file, guarded.guard_line, "")) or where.function)
        kind = ("a loop that ran zero times here" if guarded.guard in ("for", "while")
                else "a condition that was false here")
        return call.finding(
            "unused_variable", [source], guard_at,
            f"`{source.name}` goes into `{guarded.name}` (line {where.line}), which is used "
            f"only under this `{guarded.guard}` (line {guarded.use_line}): {kind}, or one "
            "whose result does not reach the loss. So the variable never reaches the loss; "
            "the other variables train.",
            group=("unused_variable", "guarded", where.file, guarded.guard_line),
            variant="guarded_use")
    group = ("unused_variable", "computed", where.file, where.function) if computed else ()
    dropped = source_trace.dropped_result(where) if computed else None
    if computed and where in call.live_lines and where != call.location:
        return call.finding(
            "unused_variable", [source], where,
            f"`{source.name}`{defined} reaches this line: what it computes comes back here "
            "together with values that do reach the loss, and the code after this line "
            "uses only those; the other variables train.", group=group,
            variant="dropped_result")
    if dropped is not None:
        return call.finding(
            "unused_variable", [source], where,
            f"`{source.name}`{defined} goes into `{dropped}`, computed here, and nothing "
            f"reads `{dropped}` afterwards: its result is dropped, so the variable never "
            "reaches the loss; the other variables train.", group=group,
            variant="dropped_result")
    return call.finding(
        "unused_variable", [source], where,
        f"`{source.name}`{defined} is computed as far as this line, and what the line makes "
        "never reaches the loss; the other variables train." if computed else
        f"`{source.name}`{defined} is computed but never reaches the loss; the other "
        "variables train.", group=group)


def _dropped_added_loss(call: GradientCall, source: Source) -> Finding | None:
    """The variable feeds a tensor given to `add_loss`, which the loss does not include."""
    for kept, added_at in call.recorder.added_losses:
        key = kept if isinstance(kept, int) else call.flow.key(kept)
        if key in call.ancestry.toward or key in call.target_keys:
            continue
        if source.key in ancestry(call.flow, [key], limit=50_000).reads:
            line = f" (line {added_at.line})" if added_at else ""
            return call.finding(
                "unused_variable", [source], target_location(call),
                f"`{source.name}` reaches the loss given to `add_loss`{line} and nothing "
                "else; the loss computed here, which the gradient is taken of, does not add "
                "the layers' `losses`, so that term is dropped and the variable gets no "
                "gradient.", group=("unused_variable", "add_loss", str(added_at)),
                variant="added_loss_dropped")
    return None


def _unused_location(call: GradientCall, handle) -> Location | None:
    """Where the unused variable was last read in the step, else where it was created.

    When the read sits under the very line that asked for the gradient (`fit`,
    `check_model`), it says little; the creation site (a functional `Dense(...)(h)`
    line, a `build`) says more.
    """
    read = _last_read_location(call, handle)
    if read is not None and read != call.location:
        return read  # else the forward pass ran inside a library call (fit, check_model)
    info = call.recorder.variables.get(handle)
    return info.created_at if info else None


def _asking_at(call: GradientCall) -> Location | None:
    """The user's line in the function that asked for the gradient: where the tape was
    opened (for a traced step, its line inside the tf.function), else the call."""
    return call.tape_info.opened_at or call.location


def _last_read_location(call: GradientCall, handle) -> Location | None:
    """The step's last read of the variable, or the line where its values stop
    (`dead_end`): a block class used twice runs the read's line for used layers too."""
    if call.compiled and call.target_keys:
        reads = call.flow.graph_reads(call.target_keys[0], handle)
        if reads:  # traced: the step's own read of the variable, from its traceback
            return (dead_end.traced_where_values_stop(reads, call.live_lines, _asking_at(call))
                    or frames.location_from_stack(reads[-1].traceback))
    ops = call.step_ops
    reads = [node for node in ops if handle in node.handles and node.location is not None]
    if not reads:
        return None
    return (dead_end.where_values_stop(ops, reads, call.live_lines, _asking_at(call))
            or reads[-1].location)


def _tensor_source(call: GradientCall, source: Source) -> Finding:
    if source.dtype is not None and not _is_float(source.dtype):
        return _integer_tensor(call, source)
    unrelated = _not_computed_from(call, source)
    if unrelated is not None:
        return unrelated
    if not _watched_by_this_tape(call, source):
        rebound = _rebound_variable(call, source)
        if rebound is not None:
            return rebound
        return call.finding(
            "unwatched_tensor", [source], call.tape_info.opened_at,
            f"`{source.name}` is a plain tensor, not a variable, and the tape opened here never "
            f"watched it: add `tape.watch({source.name})` inside the tape.")
    if source.key not in call.ancestry.toward and source.key not in call.target_keys:
        return (_predict_evidence(call, source) or _conversion_evidence(call, source)
                or _another_forward_pass(call, source))
    return _cut_finding(call, source, set()) or _unexplained(call, source, [])


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
        "outside_tape", [source], _blocker_location(call, blocker, cause),
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
        "prediction).", severity="error")


def _shared_input(call: GradientCall, source: Source):
    """The nearest tensor that `source` was computed from and that the target depends on
    too, and the op through which the target read it."""
    own = ancestry(call.flow, [source.key], limit=20_000)
    for node in own.nodes:
        for key in node.inputs:
            if key in call.ancestry.toward:
                return key, call.ancestry.toward[key][0]
    return None, None


def _non_trainable(call: GradientCall, sources: list[Source]) -> Finding:
    """`tape.gradient(loss, model.variables)`: the non-trainable variables in the list
    (BatchNormalization's moving statistics, counters) are updated by assignment, and a
    tape never watches them."""
    finding = call.finding(
        "unused_variable", sources, _sources_location(call),
        f"`{sources[0].name}` is a non-trainable variable (a statistic such as "
        "BatchNormalization's moving mean, updated by assignment, not by gradients): the tape "
        "does not watch it, so its gradient is None. Ask for `model.trainable_variables` "
        "instead of `model.variables` or `model.weights`.", variant="non_trainable")
    _mention_all_variables(finding)
    return finding


def _object_sources(call: GradientCall, objects: list[Source]) -> Finding:
    """tape.gradient(loss, model): sources must be variables or tensors."""
    first = objects[0]
    return call.finding(
        "wrong_sources", objects, call.location,
        f"The gradient was asked with respect to `{first.name}`, a {first.object_type} "
        "object: tape.gradient takes variables or tensors (or nested lists of them). Pass "
        f"`{first.name}.trainable_variables`.", severity="error")


def _custom_gradient_none(call: GradientCall, missing: list[Source]) -> Finding:
    event = call.custom_nones[0]
    return call.finding(
        "custom_gradient_none", missing, event.location,
        f"The backward function of @tf.custom_gradient `{event.function}` returned None, so "
        "nothing flows back to the variables before it.")


def _numpy_target(call: GradientCall, missing: list[Source]) -> Finding:
    for conversion in reversed(call.tape_info.conversions):
        steps, graph = _left_tensorflow_all(call, conversion, missing)
        if not steps and len(call.tape_info.conversions) > 1:
            continue
        return call.finding(
            "numpy_conversion", missing, conversion.location,
            f"The loss passed to tape.gradient is a {call.target_type}, not a tensor: the "
            f"values left TensorFlow through {conversion.how} here.", steps, graph=graph)
    return _numpy_target_from_source(call, missing) or call.finding(
        "numpy_conversion", missing, call.location,
        f"The loss passed to tape.gradient is a {call.target_type}, not a tensor.")


def _numpy_target_from_source(call: GradientCall, missing: list[Source]) -> Finding | None:
    """NumPy functions read tensors in C, unseen: find the line in the caller's source."""
    from gradtrace.findings import PathStep

    if call.frame is None or call.location is None:
        return None
    found = source_trace.find_conversion(call.frame, call.location.line,
                            lambda v: _is_tensor(call.recorder.tf, v))
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
            graph = call.route_graph(source, route, cut=_cut(step))
        else:
            graph.merge(call.route_graph(source, route, cut=_cut(step)))
    steps.append(step)
    return call.finding(
        "numpy_conversion", missing, where,
        f"The loss passed to tape.gradient is a {call.target_type}, not a tensor: "
        f"`{found.tensor_name}` (a tensor) went into `{found.expression}`, which NumPy "
        "computed outside TensorFlow.", steps, graph=graph)


def lambda_held_finding(recorder, keys: list) -> Finding | None:
    """Variables of layers that a Lambda layer's function calls: the model the Lambda is
    in does not track them, so they never train."""
    keys = sorted((k for k in keys if k in recorder.lambda_held), key=str)
    if not keys:
        return None
    recorder.qualify_legacy_names(None)  # the same names before fit and in its step
    outer, applied_at = recorder.lambda_held[keys[0]]
    infos = [recorder.variables.get(k) for k in keys]
    names = list(dict.fromkeys(i.name for i in infos if i is not None))
    return Finding(
        cause="untracked_variable", variables=names, location=applied_at,
        message=f"The function of the Lambda layer `{getattr(outer, 'name', 'lambda')}` "
        f"applied here calls layers with {len(names)} trainable variables: a Lambda layer "
        "tracks no layer or variable its function uses, so the model it is in leaves them "
        "out of its trainable variables and they never get a gradient.",
        variant="used_in_lambda")


def _nothing_requested(call: GradientCall) -> list[Finding]:
    """tape.gradient(loss, []) while the loss reads variables: they were all frozen (or
    never tracked, which `_untracked` tells apart)."""
    untracked = _untracked(call, any_raw=True)
    if untracked:
        return untracked
    held = lambda_held_finding(call.recorder, list(call.ancestry.reads))
    if held is not None:
        return [held]
    in_creation_order = sorted((k for k in call.ancestry.reads if isinstance(k, int)))
    infos = [call.recorder.variables[key] for key in in_creation_order
             if key in call.recorder.variables]
    if not infos:
        return []
    frozen = responsible_freeze(infos)
    names = list(dict.fromkeys(i.name for i in infos))
    if frozen is not None:
        location, layer = frozen
        message = (f"`{layer}.trainable = False` here froze every variable the loss uses "
                   f"({len(names)}), so the gradient was asked for an empty list.")
    else:
        before = _read_before_tape(call, in_creation_order)
        if before is not None:
            return [Finding(
                cause="unwatched_tensor", variables=names,
                location=call.tape_info.opened_at or call.location,
                message=f"The gradient was asked for an empty list of variables. The loss uses "
                f"{len(names)} variables only through tensors computed from them before this "
                f"tape opened (line {before.line}), which it never watched: such tensors put "
                "in place of a layer's weights (`layer.kernel = tensor`) also drop the "
                "weights from `trainable_variables`. Watch those tensors (`tape.watch(t)`) and "
                "ask for their gradients, or compute with the variables inside the tape.")]
        made_in_call = next((i.created_at for i in infos if i.created_at is not None
                             and i.created_at.function == "call"), None)
        if made_in_call is not None:
            return [Finding(
                cause="untracked_variable", variables=names, location=made_in_call,
                variant="made_in_step",
                message=f"The loss uses {len(names)} variables, made here inside a layer's "
                "`call`: a layer (or weight) created in `call` is made again at each call "
                "and is not tracked as the model's, so the model has nothing to train and "
                "the gradient was asked for an empty list. Create the layer in `__init__` "
                "(`self.dense = Dense(units)`) and only call it in `call`.")]
        location = call.location
        message = (f"The gradient was asked for an empty list of variables, while the loss "
                   f"uses {len(names)}: nothing is trainable.")
    return [Finding(cause="frozen_model", variables=names, location=location or call.location,
                    message=message)]


def _made_before(node, start_key) -> bool:
    """An eager op that ran before the tape opened (eager keys grow with time)."""
    return bool(node.outputs) and all(isinstance(k, int) and 0 <= k <= start_key
                                      for k in node.outputs)


def _read_before_tape(call: GradientCall, handles: list) -> Location | None:
    """Where the loss's variables were read, when every read ran while no tape recorded."""
    reads = [r for h in handles for r in call.ancestry.reads.get(h, []) if r.op_type in READ_OPS]
    start = call.tape_info.start_key
    if not reads or not all(r.recording is False or _made_before(r, start) for r in reads):
        return None
    latest = max((r for r in reads if r.location is not None), key=lambda r: r.outputs[0],
                 default=None)
    return latest.location if latest is not None else None


def _untracked(call: GradientCall, any_raw: bool = False) -> list[Finding]:
    """Variables the loss reads that Keras does not know about, so no one asks for them:
    raw tf.Variables held by a Keras 3 layer or created in the training step (or, when
    nothing at all was requested, any raw tf.Variable of the user's)."""
    requested = {s.key for s in call.sources}
    anc = call.ancestry
    findings = []
    for key, reads in sorted(anc.reads.items(), key=lambda item: str(item[0]).zfill(12)):
        info = call.recorder.variables.get(key)
        if key in requested or info is None or not info.trainable or not info.raw_in_user_code:
            continue
        if not any(r.recording is not False for r in reads) or key not in call.gradient_reads:
            continue  # read outside the tape, or only to decide a comparison (a probability)
        if not (any_raw or info.owner_is_keras3_layer or _created_in_step(call, key, info)):
            continue
        where = f"in {info.owner}" if info.owner else "inside the training step"
        made = info.created_at
        findings.append(Finding(
            cause="untracked_variable", variables=[info.name], location=made,
            message=f"`{info.name}` is a raw tf.Variable created {where}: the loss uses it, "
            "but it is not among the trainable variables, so it never gets a gradient.",
            group=("untracked_variable", info.owner, made.file, made.function) if made else (),
        ))
    return _merge(findings)  # a layer's raw variables (a list of them) are one mistake


def _created_in_step(call: GradientCall, key, info: VariableInfo) -> bool:
    """Created after the tape opened, or (a tf.function's first call lifts its variables
    out of the graph) by the very function that asks for the gradient."""
    if isinstance(key, int) and key > call.tape_info.start_key:
        return True
    made, asked = info.created_at, call.location
    return bool(made and asked and made.file == asked.file and made.function == asked.function
                and made.function != "<module>")


# TensorFlow's wordings for an op without a registered gradient (graph, eager).
_NO_GRADIENT = re.compile(r"No gradient defined for operation\s*'[^']+'\s*\(op type: (\w+)\)"
                          r"|gradient registry has no entry for: (\w+)")


def _diagnose_exception(call: GradientCall) -> list[Finding]:
    exc = call.exc
    text = str(exc)
    if call.target_type == "KerasTensor":
        return [call.finding(
            "outside_tape", call.sources, call.location,
            "The target is a symbolic KerasTensor (a functional model's `layer.output` or "
            "`model.output`), not a value computed from an input while the tape recorded: "
            "there is nothing to differentiate. Make a model that outputs that layer "
            "(`keras.Model(model.inputs, layer.output)`), call it on the input inside the "
            "tape, and build the loss from its result.", severity="error")]
    if isinstance(exc, AttributeError) and "_id" in text and not call.target_keys:
        return [_numpy_target(call, [s for s in call.sources])]
    match = _NO_GRADIENT.search(text)
    if isinstance(exc, LookupError) and match:
        op_type = match.group(1) or match.group(2)
        node = next((n for n in call.ancestry.nodes if n.op_type == op_type), None)
        return [call.finding(
            "nondifferentiable_op", call.sources, _op_location(call, node) if node else None,
            f"{op_type} has no gradient defined, and the loss depends on it.")]
    return []


def _is_float(dtype) -> bool:
    from tensorflow.python.framework import dtypes

    try:
        dtype = dtypes.as_dtype(dtype)
    except TypeError:
        return True  # unknown: make no claim
    return dtype.is_floating or dtype.is_complex
