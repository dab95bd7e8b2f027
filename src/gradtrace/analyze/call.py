"""One `tape.gradient` call as recorded: its targets, its sources (variables, tensors,
or objects passed by mistake), what came back, and the user's frame; and the helpers
every explanation of it shares."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from gradtrace import frames
from gradtrace.analyze import dead_end, source_trace
from gradtrace.analyze.dataflow import Ancestry, GraphFlow, ancestry
from gradtrace.analyze.evidence import reads_with_gradient
from gradtrace.analyze.flowgraph import FlowGraph
from gradtrace.analyze.gradient_values import target_location
from gradtrace.findings import Finding, Location
from gradtrace.record.events import TapeInfo, VariableInfo
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
    target_variables: tuple = ()  # names of variables given as the target (arguments swapped)
    # the shape of a tensor target the gradient sums over (no `output_gradients`), or ()
    summed_target_shape: tuple = ()
    _ancestry: Ancestry | None = None
    _graphs: dict = field(default_factory=dict)  # the picture for each blocker
    _blockers: dict = field(default_factory=dict)  # first_blocker's answers, per route step
    _numpy_lines: list | None = None  # the caller's lines that turned tensors into NumPy

    @classmethod
    def build(cls, recorder, tape, info, target, sources, result, call_frame, exc, custom_nones):
        tf = recorder.tf
        flow = GraphFlow(recorder, symbolic_gradient=info.graph_gradients)
        flat_targets = tf.nest.flatten(target)
        target_keys = tuple(flow.key(t) for t in flat_targets if is_tensor(tf, t))
        target_type = type(flat_targets[0]).__name__ if flat_targets else "None"
        flat_sources = tf.nest.flatten(sources)
        recorder.qualify_legacy_names(frames.user_frame(call_frame))
        names = _local_names(call_frame)
        user = frames.user_frame(call_frame)
        if len(flat_sources) == 1 and user is not None:
            asked = source_trace.sources_name(user, user.f_lineno)
            if asked and asked in user.f_locals and user.f_locals[asked] is flat_sources[0]:
                names[id(flat_sources[0])] = asked  # the name written at the call
            elif id(flat_sources[0]) not in names and is_tensor(tf, flat_sources[0]):
                written = source_trace.sources_expression_at(info.opened_at) \
                    if info.graph_gradients and info.opened_at else \
                    source_trace.sources_expression(user, user.f_lineno)
                if written and len(written) <= 40:
                    names[id(flat_sources[0])] = written  # `pic[0]`
        elif len(flat_sources) > 1 and user is not None:
            written = source_trace.sources_elements(user, user.f_lineno) or []
            if len(written) == len(flat_sources):  # `[x, a.values]`: each as written
                for value, text in zip(flat_sources, written):
                    if id(value) not in names and len(text) <= 40:
                        names[id(value)] = text
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
                   _loss_callable_location(call_frame), variables, _scalar_value(flat_targets),
                   target_variables=tuple(variable_name(t) for t in flat_targets
                                          if hasattr(t, "assign")))

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


def is_tensor(tf, value) -> bool:
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
    if not is_tensor(recorder.tf, value):
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


def sources_location(call: GradientCall) -> Location | None:

    if call.frame is None or call.location is None:
        return call.location
    line = source_trace.sources_line(call.frame, call.location.line)
    if line is None:
        return call.location
    return Location(call.location.file, line, call.location.function)


def merge_findings(findings: list[Finding]) -> list[Finding]:
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
        mention_all_variables(finding)
    return list(grouped.values())


def mention_all_variables(finding: Finding) -> None:
    """The message names its first variable; say how many more the finding covers."""
    first, others = finding.variables[0], len(finding.variables) - 1
    if others and f"`{first}` (and " not in finding.message:  # (merged twice)
        more = f"`{first}` (and {others} more variable{'s' if others > 1 else ''})"
        finding.message = finding.message.replace(f"`{first}`", more, 1)


def opened_by_library(call: GradientCall) -> bool:
    """The tape was opened by library code, such as `optimizer.minimize(loss_fn)`."""
    site = call.tape_info.site[0]
    return not frames.is_user_file(site) and "__autograph_generated" not in site


def asking_at(call: GradientCall) -> Location | None:
    """The user's line in the function that asked for the gradient: where the tape was
    opened (for a traced step, its line inside the tf.function), else the call."""
    return call.tape_info.opened_at or call.location


def is_float(dtype) -> bool:
    from tensorflow.python.framework import dtypes

    try:
        dtype = dtypes.as_dtype(dtype)
    except TypeError:
        return True  # unknown: make no claim
    return dtype.is_floating or dtype.is_complex
