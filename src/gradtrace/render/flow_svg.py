"""The dataflow picture as inline SVG: Graphviz `dot` when it is installed, else the
built-in layered layout. Both give every node a `<g class="gt-node gt-KIND"
id="PREFIX-ID">`, which the page's script makes clickable.

Every user string reaches the SVG as escaped text: through `html.escape` here, or as a
Graphviz string (which `dot` escapes on output) with its own escapes neutralised.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess

from gradtrace.analyze.flowgraph import LayerNode, LayerView
from gradtrace.render.layout import layered_layout

DOT_TIMEOUT = 20  # seconds; past it, the built-in layout draws the picture
COLOURS = {  # kind: (fill, border)
    "variable": ("#ddf4ff", "#54aeff"),
    "layer": ("#f6f8fa", "#8c959f"),
    "break": ("#ffebe9", "#cf222e"),
    "loss": ("#ffffff", "#24292f"),
}
_CHAR_WIDTH = 6.4  # px per character at the 11px font, for the built-in layout
_ARC_ROOM = 30  # px above the top row, the highest a variable's arc to its layer goes


def flow_svg(view: LayerView, prefix: str, engine: str = "auto") -> tuple[str, str]:
    """The SVG for `view` and the engine that laid it out ("dot" or "built-in").
    `engine`: auto (dot if on PATH), dot, or builtin; GRADTRACE_GRAPH_ENGINE overrides auto."""
    if engine == "auto":
        engine = os.environ.get("GRADTRACE_GRAPH_ENGINE", "auto")
    if engine in ("auto", "dot") and shutil.which("dot"):
        svg = _dot_svg(view, prefix)
        if svg is not None:
            return svg, "dot"
    return _builtin_svg(view, prefix), "built-in"


def node_lines(node: LayerNode) -> list[str]:
    """What a node shows: its name, then a detail line."""
    if node.kind == "layer":
        return [node.label, f"{len(node.ops)} op{'s' if len(node.ops) != 1 else ''}"]
    if node.kind == "break":
        cut = node.ops[0].node is None  # values left TensorFlow: say how, not "no gradient"
        what = node.title if cut else "no gradient"
        where = f"line {node.location.line}" if node.location else ""
        return [f"\u2716 {node.label}", " ".join(filter(None, [what, where]))]
    if node.kind == "loss":
        return ["loss", f"line {node.location.line}" if node.location else ""]
    return [node.label]


def _tooltip(node: LayerNode) -> str:
    if node.kind == "variable":
        return f"variable {node.title}"
    if node.kind == "layer":
        return f"{node.title}: click to show its ops"
    where = f" at {node.location}" if node.location else ""
    return f"{node.title}{where}"


# ------------------------------------------------------------------------- dot
def _dot_string(text: str) -> str:
    """A Graphviz quoted string whose content shows literally (no \\N, \\G, \\l ...)."""
    text = re.sub(r"[\r\n\t]+", " ", str(text))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot_source(view: LayerView, prefix: str) -> str:
    lines = ["digraph gradtrace {",
             '  graph [rankdir=TB, nodesep=0.25, ranksep=0.3, bgcolor="transparent", '
             'fontname="Helvetica"];',
             '  node [fontname="Helvetica", fontsize=10, style="rounded,filled", shape=box, '
             "height=0.3, margin=\"0.12,0.04\"];",
             '  edge [color="#8c959f", arrowsize=0.6, fontname="Helvetica"];']
    for node in view.nodes.values():
        fill, border = COLOURS[node.kind]
        shape = {"variable": "ellipse", "break": "octagon", "loss": "doubleoctagon"}.get(
            node.kind, "box")
        label = "\\n".join(_dot_string(line)[1:-1] for line in node_lines(node) if line)
        width = ', penwidth=2' if node.kind in ("break", "loss") else ""
        lines.append(
            f'  {_dot_string(f"{prefix}-{node.id}")} [id={_dot_string(f"{prefix}-{node.id}")}, '
            f'class="gt-node gt-{node.kind}", label="{label}", shape={shape}, '
            f'fillcolor="{fill}", color="{border}"{width}, tooltip={_dot_string(_tooltip(node))}];')
    for a, b in view.edges:
        style = ' [style=dashed, color="#cf222e", label=" not connected", fontsize=9, ' \
                'fontcolor="#cf222e"]' if (a, b) in view.detached else ""
        lines.append(f'  {_dot_string(f"{prefix}-{a}")} -> {_dot_string(f"{prefix}-{b}")}{style};')
    for variable, layer in view.same_rank:
        lines.append(f'  {{ rank=same; {_dot_string(f"{prefix}-{variable}")}; '
                     f'{_dot_string(f"{prefix}-{layer}")}; }}')
    lines.append("}")
    return "\n".join(lines)


def _dot_svg(view: LayerView, prefix: str) -> str | None:
    try:
        done = subprocess.run(["dot", "-Tsvg"], input=_dot_source(view, prefix).encode(),
                              capture_output=True, timeout=DOT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    svg = done.stdout.decode("utf-8", "replace")
    start = svg.find("<svg")
    if done.returncode != 0 or start < 0:
        return None
    # Inline SVG: no XML prolog or doctype; Graphviz's comments name nodes verbatim.
    return re.sub(r"<!--.*?-->", "", svg[start:], flags=re.S)


# -------------------------------------------------------------------- built-in
def _builtin_svg(view: LayerView, prefix: str) -> str:
    sizes = {}
    for nid, node in view.nodes.items():
        lines = [line for line in node_lines(node) if line]
        width = max(len(line) for line in lines) * _CHAR_WIDTH + 24
        sizes[nid] = (max(width, 48.0), 14.0 * len(lines) + 12)
    layout = layered_layout(sizes, view.edges, view.same_rank)
    boxes, width = layout.boxes, layout.width
    height = layout.height + _ARC_ROOM  # the arcs of the first row's variables rise above it
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}pt" '
             f'height="{height:.0f}pt" viewBox="0 {-_ARC_ROOM} {width:.0f} {height:.0f}" '
             f'font-family="Helvetica,Arial,sans-serif" font-size="11">',
             '<defs><marker id="' + prefix + '-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
             '<path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/></marker></defs>']
    for a, b in view.edges:
        parts.append(_edge(boxes[a], boxes[b], layout.routes.get((a, b), []), prefix,
                           (a, b) in view.detached, (a, b) in view.same_rank))
    for nid, node in view.nodes.items():
        parts.append(_node(node, boxes[nid], prefix))
    parts.append("</svg>")
    return "".join(parts)


def _edge(a, b, bends, prefix: str, detached: bool, beside: bool) -> str:
    if beside:  # a variable to its layer, on one row: arc over the nodes between
        x1, y1, x2, y2 = a.x, a.y - a.height / 2, b.x - b.width / 4, b.y - b.height / 2
        lift = min(8 + abs(x2 - x1) / 8, 30)
        d = (f"M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 - lift:.1f} "
             f"{x2:.1f},{y2 - lift:.1f} {x2:.1f},{y2:.1f}")
    else:  # downwards through the bends, each segment leaving and arriving vertically
        points = [(a.x, a.y + a.height / 2), *bends, (b.x, b.y - b.height / 2)]
        d = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            bend = max(abs(y2 - y1) / 2, 12)
            d += f" C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}"
    style = 'stroke="#cf222e" stroke-dasharray="5,3"' if detached else 'stroke="#8c959f"'
    label = ""
    if detached:
        middle_y = (a.y + a.height / 2 + b.y - b.height / 2) / 2
        label = (f'<text x="{b.x + 6:.1f}" y="{middle_y + 4:.1f}" fill="#cf222e" '
                 'font-size="9">not connected</text>')
    return (f'<path class="gt-edge" d="{d}" fill="none" {style} '
            f'marker-end="url(#{prefix}-arrow)"/>{label}')


def _node(node: LayerNode, box, prefix: str) -> str:
    fill, border = COLOURS[node.kind]
    x, y = box.x - box.width / 2, box.y - box.height / 2
    radius = box.height / 2 if node.kind == "variable" else 4
    width = 2 if node.kind in ("break", "loss") else 1
    lines = [line for line in node_lines(node) if line]
    texts = []
    for i, line in enumerate(lines):
        y_line = box.y + (i - (len(lines) - 1) / 2) * 14 + 4
        style = ' fill="#57606a" font-size="9"' if i else \
            ' font-weight="bold"' if node.kind != "variable" else ""
        texts.append(f'<text x="{box.x:.1f}" y="{y_line:.1f}" text-anchor="middle"{style}>'
                     f"{html.escape(line)}</text>")
    return (f'<g id="{html.escape(prefix)}-{node.id}" class="gt-node gt-{node.kind}">'
            f"<title>{html.escape(_tooltip(node))}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
            f'rx="{radius:.1f}" fill="{fill}" stroke="{border}" stroke-width="{width}"/>'
            f"{''.join(texts)}</g>")
