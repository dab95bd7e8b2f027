"""One dataflow picture for eager and traced code.

Keys name tensors: an eager tensor's `_id` (an int), or ("g", id(tensor)) for
a tensor of a traced graph. Variables are named by the key of their eager
resource handle: captured handles inside a FuncGraph resolve to it.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Iterable

from gradtrace import frames
from gradtrace.record.events import ASSIGN_OPS, READ_OPS, DT_RESOURCE, OpNode

# Ops whose outputs carry no information about their inputs' values.
METADATA_OPS = frozenset({
    "Shape", "ShapeN", "Size", "Rank", "ZerosLike", "OnesLike", "BroadcastGradientArgs",
    "VariableShape", "TensorListLength", "NoOp",
})


class EagerFlow:
    """The eager op log kept by the recorder."""

    def __init__(self, producers) -> None:
        self._producers = producers

    def producer(self, key) -> OpNode | None:
        return self._producers.get(key)

    def made_order(self, key):
        return (None, key) if isinstance(key, int) else None


class GraphFlow:
    """A traced FuncGraph, walked through `op.inputs`, and the eager log beyond it."""

    def __init__(self, recorder, symbolic_gradient: bool = False) -> None:
        self._recorder = recorder
        # tf.gradients differentiates the graph itself: every graph op counts as recorded
        self._symbolic_gradient = symbolic_gradient
        self._called_graphs: set[int] = set()  # graphs of tf.functions a tape recorded
        self._assigns: dict[int, dict] = {}  # graph -> handle tensor -> its assign ops
        self._reads: dict[int, dict] = {}  # graph -> handle key -> its read ops
        self._tensors: dict[Any, Any] = {}
        self._nodes: dict[Any, OpNode] = {}
        self._captures: dict[int, Any] = {}
        self._graphs_seen: set[int] = set()

    def key(self, tensor) -> Any:
        if hasattr(tensor, "graph") and not _is_eager(tensor):
            key = ("g", id(tensor))
            self._tensors[key] = tensor
            self._learn_captures(tensor.graph)
            return key
        return tensor._id

    def made_order(self, key):
        """(graph, position) in the order the tensor's op was made: an eager tensor's id
        grows with each one made, a traced op's id with each op added to its graph."""
        if isinstance(key, int):
            return None, key
        tensor = self._tensors.get(key) if isinstance(key, tuple) and key[0] == "g" else None
        op = getattr(tensor, "op", None)
        return (id(tensor.graph), op._id) if op is not None else None

    def _learn_captures(self, graph) -> None:
        if id(graph) in self._graphs_seen:
            return
        self._graphs_seen.add(id(graph))
        for external, internal in getattr(graph, "captures", ()):
            self._captures[id(internal)] = external

    def _assign_key(self, op) -> tuple:
        key = ("assign", id(op))
        self._tensors[key] = op
        return key

    def _assign_node(self, key, op) -> OpNode:
        handles = [self._resolve_handle(t) for t in op.inputs if t.dtype == _resource()]
        values = [self.key(t) for t in op.inputs if t.dtype != _resource()]
        return OpNode(op.type, tuple(handles + values), (key,), (None,),
                      lambda: frames.location_from_stack(op.traceback),
                      self._graph_recording(op), tuple(handles), graph_op=op,
                      scope=graph_op_scope(op.name, self._recorder.graph_scopes))

    def producer(self, key) -> OpNode | None:
        if isinstance(key, tuple) and key[0] == "assign":
            node = self._nodes.get(key)
            if node is None and key in self._tensors:
                node = self._nodes[key] = self._assign_node(key, self._tensors[key])
            return node
        tensor = self._tensors.get(key) if isinstance(key, tuple) else None
        if tensor is None:
            traced = self._recorder.function_outputs.get(key)
            if traced is not None:
                return self._function_output(key, traced)
            assign = self._recorder.function_assigns.get(key)
            if assign is not None:  # an assignment inside a called tf.function
                self._called_graphs.add(id(assign.graph))
                return self.producer(self._assign_key(assign))
            return self._recorder.producers.get(key)
        op = tensor.op
        node = self._nodes.get(id(op))
        if node is None:
            node = self._nodes[id(op)] = self._node_for(op)
        return node

    def _function_output(self, key, traced) -> OpNode:
        """A tf.function's result: continue inside its graph, whose ops ran under the tape
        that recorded the call."""
        node = self._nodes.get(("out", key))
        if node is None:
            call = self._recorder.producers.get(key)
            self._called_graphs.add(id(traced.graph))
            node = self._nodes[("out", key)] = OpNode(
                "FunctionOutput", (self.key(traced),), (key,), (traced.dtype,),
                call.location if call is not None else None, True,
                call_site=call.call_site if call is not None else None)
        return node

    def _node_for(self, op) -> OpNode:
        if op.type in ("Placeholder", "Const") and id(op.outputs[0]) in self._captures:
            external = self._captures[id(op.outputs[0])]
            # A captured outer value (a small eager tensor is captured as a Const copy):
            # continue the walk outside the graph.
            return OpNode("Capture", (self.key(external),), (self.key(op.outputs[0]),),
                          (op.outputs[0].dtype,), None, None)
        if op.type == "Placeholder" and op in self._recorder.function_arguments:
            return OpNode("Argument", (self._recorder.function_arguments[op],),
                          (self.key(op.outputs[0]),), (op.outputs[0].dtype,), None, None)
        if op.type == "Placeholder" and op.outputs[0].dtype != _resource():
            argument = self._recorder.function_argument(op)
            if argument is not None:
                # The tf.function's argument: continue with the eager value it was given.
                return OpNode("Argument", (self.key(argument),), (self.key(op.outputs[0]),),
                              (op.outputs[0].dtype,), None, None)
        inputs, handles = [], []
        for tensor in op.inputs:
            if tensor.dtype == _resource():
                handle = self._resolve_handle(tensor)
                handles.append(handle)
                inputs.append(handle)
            else:
                inputs.append(self.key(tensor))
        if op.type in ("ReadVariableOp", "ResourceGather", "ResourceGatherNd"):
            # What an assignment ordered before this read wrote is what the read returns.
            # While the function is still being traced, automatic control dependencies are
            # not added yet: the last assign to the same handle made before it stands in.
            assigns = [c for c in op.control_inputs if c.type in ASSIGN_OPS]
            if not assigns:
                earlier = self._assign_before(op)
                assigns = [earlier] if earlier is not None else []
            inputs += [self._assign_key(c) for c in assigns]
        outputs = tuple(self.key(t) for t in op.outputs)
        recording = self._graph_recording(op)
        return OpNode(op.type, tuple(inputs), outputs, tuple(t.dtype for t in op.outputs),
                      lambda: frames.location_from_stack(op.traceback), recording,
                      tuple(handles), graph_op=op,
                      scope=graph_op_scope(op.name, self._recorder.graph_scopes),
                      made_at=self._recorder.graph_op_sites.get(op))

    def graph_reads(self, key, handle) -> list:
        """The ops of the graph that `key` (a traced tensor) belongs to that read the
        variable behind `handle`, in creation order."""
        tensor = self._tensors.get(key) if isinstance(key, tuple) else None
        if tensor is None or not hasattr(tensor, "graph"):
            return []
        reads = self._ops_by_handle(self._reads, tensor.graph, READ_OPS, self._resolve_handle)
        return reads.get(handle, [])

    def _assign_before(self, read_op):
        """The last assignment to `read_op`'s variable handle created before it in the same
        graph (ops are numbered in creation order)."""
        assigns = self._ops_by_handle(self._assigns, read_op.graph, ASSIGN_OPS, id)
        before = [op for op in assigns.get(id(read_op.inputs[0]), ()) if op._id < read_op._id]
        return before[-1] if before else None

    @staticmethod
    def _ops_by_handle(cache: dict, graph, op_types, handle_of) -> dict:
        """A graph's ops of `op_types`, by the variable handle they take first (once per
        graph and analysis)."""
        by_handle = cache.get(id(graph))
        if by_handle is None:
            by_handle = cache[id(graph)] = {}
            for op in graph.get_operations():
                if op.type in op_types and op.inputs:
                    by_handle.setdefault(handle_of(op.inputs[0]), []).append(op)
        return by_handle

    def _graph_recording(self, op):
        if self._symbolic_gradient or id(op.graph) in self._called_graphs:
            return True
        return self._recorder.graph_recording.get(op)

    def resolve_handle(self, tensor):
        return self._resolve_handle(tensor)

    def _resolve_handle(self, tensor):
        """The eager handle id behind a (possibly captured) resource tensor, or behind a
        variable passed to a called tf.function as an argument."""
        for _ in range(16):
            if _is_eager(tensor):
                return tensor._id
            passed = self._recorder.function_arguments.get(tensor.op)
            if passed is not None:
                return passed
            self._learn_captures(tensor.graph)
            external = self._captures.get(id(tensor))
            if external is None:
                break
            tensor = external
        return self.key(tensor)


def graph_op_scope(op_name: str, keras_scopes: dict[str, str]) -> str:
    """The layer a traced op belongs to. Keras 3 scopes are looked up (the graph made
    them unique); otherwise TensorFlow's own inner scopes (`Cast/`, `MatMul/`,
    capitalised) are dropped from the op's name scope."""
    parts = op_name.split("/")[:-1]
    for end in range(len(parts), 0, -1):
        path = keras_scopes.get("/".join(parts[:end]))
        if path is not None:
            return path
    while parts and parts[-1][:1].isupper():
        parts.pop()
    return "/".join(parts)


def _is_eager(tensor) -> bool:
    return type(tensor).__name__ == "EagerTensor"


def _resource():
    from tensorflow.python.framework import dtypes

    return dtypes.resource


@dataclass
class Ancestry:
    """Everything the targets depend on, and one route from each tensor toward them."""

    targets: tuple
    toward: dict = field(default_factory=dict)  # key -> (consumer node, consumer output key)
    reads: dict = field(default_factory=dict)  # handle key -> [read nodes]
    orphans: list = field(default_factory=list)  # tensors with no known producer
    nodes: list = field(default_factory=list)

    def path_from(self, node: OpNode) -> list[OpNode]:
        """The ops from `node` to the target along the recorded route."""
        return [op for op, _ in self.route_from(node)]

    def route_from(self, node: OpNode) -> list[tuple[OpNode, object]]:
        """Each op on the route with the output that carries the route on: an op such as
        TopKV2 has a float output and an integer one, and which one matters."""
        key = next((k for k in node.outputs if k in self.toward or k in self.targets), None)
        route = [(node, key)]
        seen = set()
        while key is not None and key not in self.targets and key not in seen:
            seen.add(key)
            consumer, key = self.toward[key]
            route.append((consumer, key))
        return route

    def route_from_key(self, key) -> list[tuple[OpNode, object]]:
        """The route from a tensor on the way to the targets: its consumers, in turn."""
        route, seen = [], set()
        while key in self.toward and key not in self.targets and key not in seen:
            seen.add(key)
            consumer, key = self.toward[key]
            route.append((consumer, key))
        return route

    def reads_of(self, handle_keys: Iterable) -> list[OpNode]:
        found = []
        for key in handle_keys:
            found.extend(self.reads.get(key, ()))
        return found


def ancestry(flow, targets: Iterable, limit: int = 500_000) -> Ancestry:
    targets = tuple(targets)
    result = Ancestry(targets)
    queue = deque(targets)
    seen = set(targets)
    visited_nodes: set[int] = set()
    while queue and len(seen) < limit:
        key = queue.popleft()
        node = flow.producer(key)
        if node is None:
            result.orphans.append(key)
            continue
        if node.op_type in METADATA_OPS:
            continue
        if id(node) not in visited_nodes:
            visited_nodes.add(id(node))
            result.nodes.append(node)
        for handle in node.handles:
            reads = result.reads.setdefault(handle, [])
            if node not in reads:
                reads.append(node)
        for inp in node.inputs:
            if inp in seen or inp in node.handles:
                continue
            seen.add(inp)
            result.toward[inp] = (node, key)
            queue.append(inp)
    return result


__all__ = ["Ancestry", "EagerFlow", "GraphFlow", "METADATA_OPS", "ancestry", "DT_RESOURCE"]
