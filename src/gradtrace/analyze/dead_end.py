"""Where an unused variable's values stop: the last op they reach, shown at a line that
only the unused part runs.

A layer class used twice (a `Conv3D_Block` for the encoder and for the decoder) runs the
same `call` lines for a used instance and for an unused one, so the unused variable's
own read says nothing the user can act on. Its values are followed forward through the
step's eager ops to where they end (an op whose outputs nothing consumed), and that op
is shown at the innermost of its lines that no op on the way to the loss ran: in the
model's `call`, `u3 = self.up_conv2(u3)`, a result that nothing uses afterwards.
"""
from __future__ import annotations

from gradtrace import frames
from gradtrace.analyze import source_trace
from gradtrace.findings import Location
from gradtrace.record.events import ASSIGN_OPS

MAX_STEP_OPS = 200_000  # a step's ops walked at most


def step_ops(recorder, start_key) -> list:
    """The eager ops logged since the tape opened (at `start_key`), oldest first."""
    nodes, seen = [], set()
    for key, node in reversed(recorder.producers.items()):
        if isinstance(key, int) and 0 <= key <= start_key:  # (assigns have negative keys)
            break
        if id(node) not in seen:
            seen.add(id(node))
            nodes.append(node)
        if len(nodes) >= MAX_STEP_OPS:
            break
    nodes.reverse()
    return nodes


def lines_of(node) -> list:
    """The user lines an op ran under, innermost first: its own, then each layer call
    (for a traced op, the user frames of its traceback)."""
    if node.graph_op is not None:
        return _traced_lines(node.graph_op)
    found = []
    for location in (node.location, *reversed(node.layer_sites)):
        if location is not None and location not in found:
            found.append(location)
    return found


def live_lines(live_nodes) -> set:
    """Every user line that an op on the way to the loss ran under."""
    live = set()
    for node in live_nodes:
        live.update(lines_of(node))
    return live


def where_values_stop(ops: list, reads: list, live: set, asked: Location | None):
    """The line to show for eager `reads` whose values never reach the loss: where the
    last op they reach is dropped (`_stop_line`). Only when that op ran in the same model
    call as the last read (not in a metric computed afterwards), or when the read's own
    line also ran for used layers (a block class used twice)."""
    end = _last_reached(ops, reads)
    read = reads[-1]
    if end is None:
        return None
    same_call = bool(read.layer_sites) and end.layer_sites[:1] == read.layer_sites[:1]
    if not same_call and read.location not in live:
        return None
    return _stop_line(lines_of(end), live, asked)


def traced_where_values_stop(reads: list, live: set, asked: Location | None):
    """The same for a traced step: the reads are graph ops, and the user lines come from
    their tracebacks (a same call is one with the same outermost user line)."""
    own = _traced_lines(reads[-1])
    end = _last_traced_reached(reads)
    if not own or end is None:
        return None
    end_lines = _traced_lines(end)
    if own[0] not in live and not (end_lines and end_lines[-1] == own[-1]):
        return None
    return _stop_line(end_lines, live, asked)


def _stop_line(lines: list, live: set, asked: Location | None) -> Location | None:
    """From the end op's innermost line outward, past the lines that hand their result
    back to the caller as it is (a shared block's `x = self.bn(x); return x`), the first
    line that keeps it: where the result is dropped (`u3 = self.up_conv2(u3)`, never read
    again), or where it arrives with the used ones (`outputs = self.roberta(x)`, of which
    only `outputs[0]` is used). Not as far out as the function that asked for the
    gradient, where a model's unused output merely arrives. Without such a line, the
    innermost line that no op on the way to the loss ran."""
    def asking(location):
        return asked is not None and location.file == asked.file and \
            location.function == asked.function
    for index, location in enumerate(lines):
        if asking(location):
            break
        if source_trace.flows_out(location):
            continue
        if index > 0 or location not in live:
            return location
        break
    return next((loc for loc in lines if loc not in live), None)


def _traced_lines(op) -> list:
    found = []
    for frame in reversed(list(getattr(op, "traceback", None) or ())):
        if frames.is_user_file(frame.filename):
            location = Location(frame.filename, frame.lineno, frame.name)
            if location not in found:
                found.append(location)
    return found


def _last_reached(ops: list, reads: list):
    """The newest op downstream of `reads` whose outputs no later op consumed (updates of
    statistics by assignment are not ends: they always are)."""
    reached = {key for node in reads for key in node.outputs}
    consumed, ends = set(), []
    for node in ops:
        if node.op_type in ASSIGN_OPS or not reached.intersection(node.inputs):
            continue
        consumed.update(k for k in node.inputs if k in reached)
        reached.update(node.outputs)
        ends.append(node)
    ends = [n for n in ends if not consumed.intersection(n.outputs)]
    return ends[-1] if ends else None


def _last_traced_reached(reads: list):
    """The last op downstream of the traced reads (gradient and assignment ops aside)
    whose outputs no such op consumes."""
    order, seen = [], {id(op) for op in reads}
    queue = list(reads)
    while queue and len(order) < MAX_STEP_OPS:
        op = queue.pop(0)
        for tensor in op.outputs:
            for consumer in tensor.consumers():
                if id(consumer) in seen or _not_forward(consumer):
                    continue
                seen.add(id(consumer))
                order.append(consumer)
                queue.append(consumer)
    ends = [op for op in order if not any(
        id(c) in seen for t in op.outputs for c in t.consumers())]
    return max(ends, key=lambda op: op._id) if ends else None


def _not_forward(op) -> bool:
    return op.type in ASSIGN_OPS or op.name.startswith(("gradient_tape/", "gradients/"))
