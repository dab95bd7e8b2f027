"""The picture behind a finding: the ops from the affected variables to the loss.

Built from the same routes the evidence path comes from (one per variable, each the
recorded route from the variable's read toward the loss), so the picture shows only what
the program did. `layer_view()` groups the ops by Keras layer so that a model with a
hundred layers stays readable; the ops of each layer stay available for showing on demand.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gradtrace import frames
from gradtrace.findings import Location

LOSS = 0  # the key of the loss in `FlowGraph.edges`


@dataclass(eq=False)
class FlowOp:
    op: str
    scope: str  # the Keras layer path it ran under, or ""
    role: str = "op"  # op | read | break
    note: str = ""
    node: object = field(default=None, repr=False)  # the recorded OpNode, for its location
    fixed_location: Location | None = None

    @property
    def location(self) -> Location | None:
        return self.node.location if self.node is not None else self.fixed_location

    @property
    def group(self) -> str:
        """The layer's path, or for ops outside any layer the user's function."""
        if self.scope:
            return self.scope
        location = self.location
        if location is not None and location.function and frames.is_user_file(location.file):
            return f"{location.function}()"
        return "(outside layers)"


@dataclass(eq=False)
class FlowGraph:
    ops: dict[int, FlowOp] = field(default_factory=dict)  # key: id of the recorded op
    edges: set[tuple[int, int]] = field(default_factory=set)  # LOSS is the loss
    variables: dict[str, int] = field(default_factory=dict)  # variable -> key of its read
    loss_location: Location | None = None
    reaches_loss: bool = True  # False when the route ends where values left TensorFlow

    @classmethod
    def from_route(cls, variable: str, route: list, blocker=None, loss_location=None,
                   cut: FlowOp | None = None) -> "FlowGraph":
        """`route`: the recorded ops from the variable's read toward the loss. `cut`: where
        the values left TensorFlow (a conversion, a predict call) when they did."""
        graph = cls(loss_location=loss_location, reaches_loss=cut is None)
        graph.add_route(variable, route, blocker, cut)
        if not route and cut is not None:  # read where we could not see (inside predict)
            graph.ops[id(cut)] = cut
            graph.variables[variable] = id(cut)
        return graph

    def add_route(self, variable: str, route: list, blocker=None,
                  cut: FlowOp | None = None) -> None:
        """Add one variable's route. Routes toward one loss share their ends: where this one
        meets an op already drawn, the rest of it is drawn already."""
        previous = None
        for node in route:
            key = id(node)
            if key == previous:
                continue
            if previous is not None:
                self.edges.add((previous, key))
                if key in self.ops:
                    break
            if key not in self.ops:
                role = "break" if node is blocker else "read" if previous is None else "op"
                self.ops[key] = FlowOp(node.op_type, node.scope.rstrip("/"), role, node=node)
            previous = key
        else:
            if cut is not None and previous is not None:
                self.ops[id(cut)] = cut
                self.edges.add((previous, id(cut)))
            elif previous is not None:
                self.edges.add((previous, LOSS))
        if route:
            self.variables[variable] = id(route[0])

    def merge(self, other: "FlowGraph") -> None:
        alias = {}  # a cut (a predict call, a conversion) is one place for all variables
        other_cuts = {(op.op, op.fixed_location): key for key, op in other.ops.items()
                      if op.node is None}
        if other_cuts:
            cuts = {(op.op, op.fixed_location): key for key, op in self.ops.items()
                    if op.node is None}
            alias = {key: cuts[place] for place, key in other_cuts.items() if place in cuts}
        if alias:
            self.ops.update((k, op) for k, op in other.ops.items() if k not in alias)
            self.edges |= {(alias.get(a, a), alias.get(b, b)) for a, b in other.edges}
            self.variables.update((n, alias.get(k, k)) for n, k in other.variables.items())
        else:
            self.ops.update(other.ops)
            self.edges |= other.edges
            self.variables.update(other.variables)
        self.reaches_loss = self.reaches_loss and other.reaches_loss
        self.loss_location = self.loss_location or other.loss_location

    def connect(self, producer) -> None:
        """Add the recorded edges between ops already in the picture that the routes did
        not take (each route is one path; a residual block has two)."""
        for key, op in self.ops.items():
            node = op.node
            if node is None:
                continue
            for inp in node.inputs:
                source = producer(inp)
                if source is not None and id(source) in self.ops and id(source) != key:
                    self.edges.add((id(source), key))

    def breaks(self) -> list[int]:
        return [key for key, op in self.ops.items() if op.role == "break"]

    def to_dict(self) -> dict:
        ids = {key: f"op{n}" for n, key in enumerate(self.ops, start=1)}
        ids[LOSS] = "loss"
        return {
            "ops": [{"id": ids[key], "op": op.op, "layer": op.group, "role": op.role,
                     "note": op.note,
                     "location": op.location.to_dict() if op.location else None}
                    for key, op in self.ops.items()],
            "edges": sorted([ids[a], ids[b]] for a, b in self.edges),
            "variables": {name: ids[key] for name, key in self.variables.items()},
            "loss": {"location": self.loss_location.to_dict() if self.loss_location else None,
                     "reached": self.reaches_loss},
        }

    def layer_view(self) -> "LayerView":
        return LayerView.of(self)


@dataclass
class LayerNode:
    id: str
    kind: str  # variable | layer | break | loss
    label: str
    title: str = ""  # the full name, shown on hover
    location: Location | None = None
    ops: list[FlowOp] = field(default_factory=list)


@dataclass
class LayerView:
    """Variables, layers, the break and the loss, with edges between them."""

    nodes: dict[str, LayerNode]  # by id
    edges: list[tuple[str, str]]
    same_rank: list[tuple[str, str]]  # (variable, its layer): drawn side by side
    detached: set[tuple[str, str]]  # break -> loss where the values never reach it

    @classmethod
    def of(cls, graph: FlowGraph) -> "LayerView":
        downstream = _downstream_of_breaks(graph)
        prefix = _common_prefix([op.group for op in graph.ops.values() if op.scope])
        nodes: dict[str, LayerNode] = {}
        by_group: dict[tuple, LayerNode] = {}
        node_of: dict[int, str] = {LOSS: "loss"}
        for key, op in graph.ops.items():
            if op.role == "break":
                node = LayerNode(f"b{len(node_of)}", "break", op.op,
                                 op.note or "no gradient flows past this op", op.location,
                                 [op])
            else:
                group = (op.group, key in downstream)
                node = by_group.get(group)
                if node is None:
                    node = by_group[group] = LayerNode(
                        f"g{len(by_group) + 1}", "layer", _short(op.group, prefix), op.group)
                node.ops.append(op)
            nodes[node.id] = node
            node_of[key] = node.id
        nodes["loss"] = LayerNode("loss", "loss", "loss", "the loss passed to tape.gradient",
                                  graph.loss_location)
        edges = sorted({(node_of[a], node_of[b]) for a, b in graph.edges
                        if node_of[a] != node_of[b]})
        detached = set()
        if not graph.reaches_loss:
            detached = {(node_of[key], "loss") for key in graph.breaks()}
            edges += sorted(detached)
        same_rank = []
        for n, (name, key) in enumerate(sorted(graph.variables.items()), start=1):
            vid = f"v{n}"
            nodes[vid] = LayerNode(vid, "variable", name.rsplit("/", 1)[-1], name)
            edges.append((vid, node_of[key]))
            if nodes[node_of[key]].kind == "layer":
                same_rank.append((vid, node_of[key]))
        return cls(nodes, edges, same_rank, detached)


def _short(group: str, prefix: str) -> str:
    return group[len(prefix):] if prefix and group.startswith(prefix) else group


def _downstream_of_breaks(graph: FlowGraph) -> set[int]:
    successors: dict[int, list[int]] = {}
    for a, b in graph.edges:
        successors.setdefault(a, []).append(b)
    seen: set[int] = set()
    stack = list(graph.breaks())
    while stack:
        for nxt in successors.get(stack.pop(), ()):
            if nxt not in seen and nxt != LOSS:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _common_prefix(groups: list[str]) -> str:
    """The model's own name that every layer path starts with (`resnet50/`), if any."""
    if len(set(groups)) < 2:
        return ""
    first = groups[0].split("/")[0] + "/"
    return first if all(g.startswith(first) and len(g) > len(first) for g in groups) else ""
