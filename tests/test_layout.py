"""The built-in layered layout, used when Graphviz is not installed."""
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtrace.render.layout import layered_layout


@st.composite
def graphs(draw):
    """Random graphs: forward edges (a DAG), a few backward ones (cycles), and some
    'variable' nodes pinned beside a node. The last item: the edges that must point down
    (all of them when the graph has no cycle)."""
    count = draw(st.integers(2, 30))
    nodes = [f"n{i}" for i in range(count)]
    pairs = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1))
    edges = {(f"n{min(a, b)}", f"n{max(a, b)}") for a, b in draw(st.lists(pairs, max_size=60))
             if a != b}
    backward = {(b, a) for a, b in draw(st.lists(st.sampled_from(sorted(edges)), max_size=3))} \
        if edges else set()
    hosts = draw(st.lists(st.sampled_from(nodes), max_size=8))
    beside = [(f"v{i}", host) for i, host in enumerate(hosts)]
    sizes = {n: (draw(st.floats(20, 200)), 30.0) for n in nodes}
    sizes.update({v: (40.0, 20.0) for v, _ in beside})
    acyclic = not backward
    return sizes, sorted(edges | backward) + beside, beside, sorted(edges) if acyclic else []


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_every_node_is_placed_without_overlap_and_forward_edges_go_down(graph):
    sizes, edges, beside, forward = graph
    layout = layered_layout(sizes, edges, beside)
    assert set(layout.boxes) == set(sizes)
    rows: dict[float, list] = {}
    for box in layout.boxes.values():
        assert box.x - box.width / 2 >= 0 and box.x + box.width / 2 <= layout.width
        assert box.y + box.height / 2 <= layout.height
        rows.setdefault(box.y, []).append(box)
    for row in rows.values():
        row.sort(key=lambda b: b.x)
        for left, right in zip(row, row[1:]):
            assert left.x + left.width / 2 < right.x - right.width / 2
    for a, b in forward:
        assert layout.boxes[a].y < layout.boxes[b].y
    for variable, host in beside:
        assert layout.boxes[variable].y == layout.boxes[host].y
        assert layout.boxes[variable].x < layout.boxes[host].x


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_a_long_edge_bends_once_on_each_row_it_crosses(graph):
    sizes, edges, beside, forward = graph
    layout = layered_layout(sizes, edges, beside)
    for (a, b), bends in layout.routes.items():
        top, bottom = layout.boxes[a].y, layout.boxes[b].y
        ys = [y for _, y in bends]
        assert ys == sorted(ys) and all(top < y < bottom for y in ys)
        assert len(set(ys)) == len(ys) >= 1  # one bend per row
        rows_between = {box.y for box in layout.boxes.values() if top < box.y < bottom}
        assert rows_between <= set(ys)


def test_a_chain_is_drawn_straight_down():
    sizes = {n: (80.0, 30.0) for n in "abcd"}
    layout = layered_layout(sizes, [("a", "b"), ("b", "c"), ("c", "d")], [])
    assert len({box.x for box in layout.boxes.values()}) == 1
    assert [layout.boxes[n].y for n in "abcd"] == sorted(layout.boxes[n].y for n in "abcd")


def test_crossings_are_removed_in_a_simple_case():
    # Two parallel chains given in crossing order: the sweeps uncross them.
    sizes = {n: (40.0, 20.0) for n in ("a1", "a2", "b1", "b2")}
    layout = layered_layout(sizes, [("a1", "b2"), ("a2", "b1")], [])
    left_top = min(("a1", "a2"), key=lambda n: layout.boxes[n].x)
    left_bottom = min(("b1", "b2"), key=lambda n: layout.boxes[n].x)
    assert (left_top, left_bottom) in {("a1", "b2"), ("a2", "b1")}
