"""HTML reports: a fragment for notebooks, and a self-contained page to open or share.

Everything is inline (CSS, SVG, one script): the page makes no network request, and its
Content-Security-Policy allows nothing else (the script by its hash). Every
user-controlled string (variable, layer, file and function names, source lines, messages)
goes through `escape`, or into the JSON data block with `<`, `>` and `&` escaped: a layer
may be called `<img src=x onerror=...>`.
"""
from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import linecache

CONTEXT_LINES = 3
_fragments = itertools.count(1)  # notebook outputs: ids unique across cells

_STYLE = (
    ".gradtrace{font-family:system-ui,sans-serif;font-size:13px;max-width:1100px}"
    ".gradtrace .error{color:#b00020}.gradtrace .warning{color:#9a6700}"
    ".gradtrace .ok{color:#1a7f37}.gradtrace pre{background:#f6f8fa;padding:4px 8px;"
    "margin:2px 0;overflow-x:auto}.gradtrace pre .here{background:#ffe0e0;display:block}"
    ".gradtrace table{border-collapse:collapse}.gradtrace td,.gradtrace th"
    "{padding:1px 8px;text-align:left;border-bottom:1px solid #ddd}"
    ".gradtrace .finding{border-left:4px solid #ddd;padding:4px 12px;margin:12px 0}"
    ".gradtrace .path li.break{font-weight:bold;color:#b00020}"
    ".gradtrace .gt-graph{border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:6px}"
    ".gradtrace .gt-graph .picture{max-height:75vh;overflow:auto;text-align:center}"
    ".gradtrace .gt-graph .picture.fit svg{width:100%;height:auto}"
    ".gradtrace .gt-graph button{font-size:12px;margin-left:10px}"
    ".gradtrace .gt-graph .gt-layer,.gradtrace .gt-graph .gt-break{cursor:pointer}"
    ".gradtrace .gt-graph .gt-node:focus{outline:none}"
    ".gradtrace .gt-graph .gt-selected polygon,.gradtrace .gt-graph .gt-selected path,"
    ".gradtrace .gt-graph .gt-selected rect{stroke:#0969da;stroke-width:3}"
    ".gradtrace .gt-graph .legend{color:#57606a;font-size:12px}"
    ".gradtrace .gt-graph .legend i{display:inline-block;width:10px;height:10px;"
    "margin:0 3px 0 10px;border:1px solid}"
    ".gradtrace .gt-graph .ops{margin-top:6px}.gradtrace .gt-graph .ops td.break{color:#b00020;"
    "font-weight:bold}"
)

# Makes layers and breaks clickable: a click lists the node's ops under the picture.
# DOM text only (textContent), so nothing from the data can become markup.
_SCRIPT = """(function () {
  var data = JSON.parse(document.getElementById("gradtrace-graph-data").textContent);
  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
  }
  function show(figure, group) {
    var node = data[figure.id][group.id];
    if (!node) { return; }
    var panel = figure.querySelector(".ops");
    figure.querySelectorAll(".gt-selected").forEach(function (g) {
      g.classList.remove("gt-selected");
    });
    group.classList.add("gt-selected");
    panel.textContent = "";
    var heading = document.createElement("div");
    heading.className = "ops-title";
    heading.textContent = node.title + " \u2014 " + node.ops.length + " op" +
      (node.ops.length === 1 ? "" : "s") + " on the path to the loss";
    panel.appendChild(heading);
    var table = document.createElement("table");
    var head = table.insertRow();
    ["op", "where", ""].forEach(function (t) {
      var th = document.createElement("th"); th.textContent = t; head.appendChild(th);
    });
    node.ops.forEach(function (op) {
      var row = table.insertRow();
      row.className = "op";
      cell(row, op[0], op[2] === "break" ? "break" : "");
      cell(row, op[1], "");
      cell(row, op[3], op[2] === "break" ? "break" : "");
    });
    panel.appendChild(table);
    panel.hidden = false;
  }
  document.querySelectorAll(".gradtrace .gt-graph").forEach(function (figure) {
    var picture = figure.querySelector(".picture");
    var zoom = document.createElement("button");
    zoom.type = "button";
    zoom.textContent = "fit to width";
    zoom.addEventListener("click", function () {
      picture.classList.toggle("fit");
      zoom.textContent = picture.classList.contains("fit") ? "actual size" : "fit to width";
    });
    figure.querySelector(".legend").appendChild(zoom);
    figure.querySelectorAll("g.gt-layer, g.gt-break").forEach(function (group) {
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "button");
      group.addEventListener("click", function () { show(figure, group); });
      group.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { show(figure, group); }
      });
    });
  });
})();"""



def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def report_fragment(report, graph_data: dict | None = None) -> str:
    """Findings, their pictures and, when known, the per-variable table. Without
    `graph_data` (a notebook's `_repr_html_`) the pictures are static, with ids unique in
    the notebook; the page passes `graph_data` to collect each picture's ops for its script."""
    summary = report._summary_line() if hasattr(report, "_summary_line") else ""
    parts = [f"<style>{_STYLE}</style>", '<div class="gradtrace">']
    if summary:
        parts.append(f"<p><b>{escape(summary)}</b></p>")
    interactive = graph_data is not None
    data = graph_data if interactive else {}
    prefix = "gt" if interactive else f"gt{next(_fragments)}x"
    parts += [_finding(f, f"{prefix}{n}", data, interactive)
              for n, f in enumerate(report.findings, start=1)]
    if not report.findings and not summary:
        parts.append("<p>No missing-gradient problem found.</p>")
    if getattr(report, "variables", None):
        parts.append(_table(report.variables))
    parts.append("</div>")
    return "".join(parts)


def full_page(report, title: str = "gradtrace report") -> str:
    """A self-contained page: inline CSS, SVG and one script, no external resource."""
    subject = getattr(report, "script", "") or getattr(report, "subject", "")
    exception = getattr(report, "exception", None)
    header = f"<h1>{escape(title)}</h1>"
    if subject:
        header += f"<p>{escape(subject)}</p>"
    if exception is not None:
        header += (f"<p>raised <code>{escape(type(exception).__name__)}: "
                   f"{escape(str(exception)[:500])}</code></p>")
    graph_data: dict = {}
    body = report_fragment(report, graph_data)
    script = ""
    if graph_data:
        script = (f'<script type="application/json" id="gradtrace-graph-data">'
                  f"{_json_for_html(graph_data)}</script><script>{_SCRIPT}</script>")
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
    policy = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">"
            f"<title>{escape(title)}</title><style>body{{font-family:system-ui,sans-serif;"
            f"margin:16px 24px}}h1{{font-size:22px}}</style></head><body>{header}"
            f"{body}{script}</body></html>\n")


def _json_for_html(data) -> str:
    """JSON that cannot end its <script> element or open another one."""
    text = json.dumps(data, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _finding(finding, fid: str, graph_data: dict, interactive: bool) -> str:
    where = ""
    if finding.location is not None:
        loc = finding.location
        where = (f"<div>at <code>{escape(loc.file)}:{loc.line}</code> in "
                 f"<code>{escape(loc.function)}</code></div>{_source(loc.file, loc.line)}")
    steps = "".join(
        f'<li class="{"break" if step.note.startswith(("no gradient", "left", "returns")) else ""}">'
        f"{escape(step.op)}"
        + (f" (line {step.location.line})" if step.location else "")
        + (f" &mdash; {escape(step.note)}" if step.note else "") + "</li>"
        for step in finding.path)
    graph = getattr(finding, "graph", None)
    return (f'<div class="finding"><span class="{escape(finding.severity)}"><b>'
            f"{escape(finding.severity)}[{escape(finding.cause)}]</b></span> "
            f"{escape(finding.title)}"
            f"<div>variables: {escape(', '.join(finding.variables))}</div>{where}"
            f"<div>{escape(finding.message)}</div>"
            + (f'<ol class="path">{steps}</ol>' if steps else "")
            + (_figure(graph, fid, graph_data, interactive)
               if graph is not None and graph.ops else "")
            + f"<div><b>fix:</b> {escape(finding.fix)}</div></div>")


def _figure(graph, fid: str, graph_data: dict, interactive: bool) -> str:
    """The dataflow picture, grouped by layer; its ops go to `graph_data` for the script."""
    from gradtrace.render.flow_svg import COLOURS, flow_svg

    view = graph.layer_view()
    svg, engine = flow_svg(view, fid)
    graph_data[fid] = {f"{fid}-{node.id}": _panel(node)
                       for node in view.nodes.values() if node.ops}
    layers = sum(node.kind == "layer" for node in view.nodes.values())
    legend = "".join(
        f'<i style="background:{COLOURS[kind][0]};border-color:{COLOURS[kind][1]}"></i>{kind}'
        for kind in ("variable", "layer", "break"))
    return (f'<div class="gt-graph" id="{fid}"><div class="legend">{legend}'
            f" &middot; {len(graph.variables)} variable(s), {layers} layer group(s), "
            f"laid out by {'Graphviz dot' if engine == 'dot' else 'the built-in layout'}"
            + ("; click a layer to see its ops" if interactive else "") + "</div>"
            f'<div class="picture">{svg}</div><div class="ops" hidden></div></div>')


def _panel(node) -> dict:
    """What a click on a layer or the break lists: its ops, reads first, with their lines."""
    rows = []
    for op in sorted(node.ops, key=lambda o: o.role != "read"):
        note = op.note or ("no gradient flows past this op" if op.role == "break" else "")
        where = op.location.describe() if op.location else ""
        rows.append([op.op, where, op.role, note])
    return {"title": node.title if node.kind == "layer" else node.label, "ops": rows}


def _source(file: str, line: int) -> str:
    """The lines around a location, the location's own line marked."""
    rows = []
    for number in range(max(1, line - CONTEXT_LINES), line + CONTEXT_LINES + 1):
        text = linecache.getline(file, number)
        if not text:
            continue
        row = f"{number:>5}  {escape(text.rstrip())}"
        rows.append(f'<span class="here">{row}</span>' if number == line else row + "\n")
    return f"<pre>{''.join(rows)}</pre>" if rows else ""


def _table(variables) -> str:
    rows = "".join(
        f'<tr><td>{escape(v.name)}</td><td class="{"ok" if v.status == "ok" else "error"}">'
        f"{escape(v.status)}</td><td>{'' if v.norm is None else f'{v.norm:.3g}'}</td>"
        f"<td>{escape(v.layer)}</td></tr>" for v in variables)
    return ("<table><tr><th>variable</th><th>gradient</th><th>norm</th><th>layer</th></tr>"
            f"{rows}</table>")
