"""A layered (Sugiyama-style) layout for when Graphviz is not installed.

Good enough for the pictures gradtrace draws: mostly a chain of layers from the variables
down to the loss, with branches. Ranks by longest path, crossings reduced by barycenter
sweeps, each variable beside the layer that reads it.
"""
from __future__ import annotations

from dataclasses import dataclass

RANK_GAP = 30  # vertical space between rows
NODE_GAP = 22  # horizontal space between nodes of a row
MARGIN = 12


@dataclass
class Box:
    x: float  # centre
    y: float  # centre
    width: float
    height: float


@dataclass
class Layout:
    boxes: dict[str, Box]
    routes: dict[tuple[str, str], list[tuple[float, float]]]  # bends of edges over rows
    width: float
    height: float


def layered_layout(sizes: dict[str, tuple[float, float]], edges: list[tuple[str, str]],
                   beside: list[tuple[str, str]]) -> Layout:
    """Boxes for the nodes (`sizes`: id -> (width, height)), top to bottom along `edges`;
    each `(a, b)` in `beside` puts `a` on `b`'s row, to its left. An edge that spans
    several rows passes through a point on each (so it goes around the nodes between)."""
    pinned = dict(beside)
    flow_edges = [(a, b) for a, b in _acyclic(list(sizes), edges) if a not in pinned]
    rank = _ranks(list(sizes), flow_edges, pinned)
    sizes = dict(sizes)
    chains: dict[tuple[str, str], list[str]] = {}
    short_edges = []
    for a, b in flow_edges:
        if rank[b] - rank[a] <= 1:
            short_edges.append((a, b))
            continue
        previous, chain = a, []
        for r in range(rank[a] + 1, rank[b]):
            dummy = f"\0{a}\0{b}\0{r}"
            rank[dummy], sizes[dummy] = r, (8.0, 8.0)
            short_edges.append((previous, dummy))
            chain.append(dummy)
            previous = dummy
        short_edges.append((previous, b))
        chains[(a, b)] = chain
    rows = _order(rank, short_edges, pinned)
    boxes, width, height = _place(rows, sizes, set(pinned))
    routes = {edge: [(boxes[d].x, boxes[d].y) for d in chain] for edge, chain in chains.items()}
    return Layout({n: b for n, b in boxes.items() if not n.startswith("\0")}, routes,
                  width, height)


def _acyclic(nodes: list[str], edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The edges without those that close a cycle (found by depth-first search)."""
    successors: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        successors[a].append(b)
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for start in nodes:
        if start in state:
            continue
        stack = [(start, iter(successors[start]))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(successors[child])))
    return [e for e in edges if e not in back]


def _ranks(nodes: list[str], edges: list[tuple[str, str]], pinned: dict[str, str]) -> dict:
    predecessors: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        predecessors[b].append(a)
    rank: dict[str, int] = {}

    def rank_of(node: str) -> int:  # iterative longest path from the sources
        stack = [node]
        while stack:
            current = stack[-1]
            pending = [p for p in predecessors[current] if p not in rank]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            rank[current] = max((rank[p] + 1 for p in predecessors[current]), default=0)
        return rank[node]

    for node in nodes:
        if node not in pinned:
            rank_of(node)
    for node, host in pinned.items():
        rank[node] = rank[host]
    return rank


def _order(rank: dict[str, int], edges: list[tuple[str, str]],
           pinned: dict[str, str]) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(max(rank.values(), default=0) + 1)]
    for node in rank:  # insertion order: the order the graph was built in
        if node not in pinned:
            rows[rank[node]].append(node)
    up: dict[str, list[str]] = {n: [] for n in rank}
    down: dict[str, list[str]] = {n: [] for n in rank}
    for a, b in edges:
        up[b].append(a)
        down[a].append(b)
    for sweep in range(6):  # barycenter heuristic, downwards then upwards
        downwards = sweep % 2 == 0
        indices = range(1, len(rows)) if downwards else range(len(rows) - 2, -1, -1)
        neighbours = up if downwards else down
        for r in indices:
            fixed = rows[r - 1] if downwards else rows[r + 1]
            position = {n: i for i, n in enumerate(fixed)}
            current = {n: i for i, n in enumerate(rows[r])}
            rows[r].sort(key=lambda n: _barycenter(neighbours[n], position, current[n]))
    guests: dict[str, list[str]] = {}
    for node, host in pinned.items():
        guests.setdefault(host, []).append(node)
    return [[m for n in row for m in (*guests.get(n, ()), n)] for row in rows]


def _barycenter(neighbours: list[str], position: dict[str, int], own: int) -> float:
    placed = [position[n] for n in neighbours if n in position]
    return sum(placed) / len(placed) if placed else float(own)


def _place(rows: list[list[str]], sizes: dict[str, tuple[float, float]], guests: set[str]):
    """Rows centred on one axis by their own nodes, so that a chain of layers is drawn
    straight; the variables beside a layer hang off to its left."""
    def width(nodes):
        return sum(sizes[n][0] for n in nodes) + NODE_GAP * max(len(nodes) - 1, 0)

    spans = []  # per row: (extent left of the axis, extent right of it)
    for row in rows:
        own = [n for n in row if n not in guests]
        half = width(own) / 2
        first = own[0] if own else None
        left_guests = row[:row.index(first)] if first else row
        left = half + (width(left_guests) + NODE_GAP if left_guests else 0)
        spans.append((left, width(row) - left))
    axis = MARGIN + max((left for left, _ in spans), default=0)
    total_width = axis + max((right for _, right in spans), default=0) + MARGIN
    boxes: dict[str, Box] = {}
    y = MARGIN
    for row, (left, _) in zip(rows, spans):
        height = max((sizes[n][1] for n in row), default=0)
        x = axis - left
        for node in row:
            w, h = sizes[node]
            boxes[node] = Box(x + w / 2, y + height / 2, w, h)
            x += w + NODE_GAP
        y += height + RANK_GAP
    return boxes, total_width, y - RANK_GAP + MARGIN
