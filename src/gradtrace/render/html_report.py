"""HTML for notebooks: a report's findings and its per-variable gradient table.

Every user-controlled string (names, paths, source lines, messages) goes through
`escape`: a layer may be called `<img src=x onerror=...>`.
"""
from __future__ import annotations

from gradtrace.report import Report, escape

_STYLE = (
    "<style>.gradtrace{font-family:system-ui,sans-serif;font-size:13px}"
    ".gradtrace .error{color:#b00020}.gradtrace .warning{color:#9a6700}"
    ".gradtrace .ok{color:#1a7f37}.gradtrace pre{background:#f6f8fa;padding:4px 8px;margin:2px 0}"
    ".gradtrace table{border-collapse:collapse}.gradtrace td,.gradtrace th"
    "{padding:1px 8px;text-align:left;border-bottom:1px solid #ddd}</style>"
)


def report_fragment(report: Report) -> str:
    parts = [_STYLE, '<div class="gradtrace">', f"<p><b>{escape(report._summary_line())}</b></p>"]
    parts += [_finding(f) for f in report.findings]
    if report.variables:
        parts.append(_table(report))
    parts.append("</div>")
    return "".join(parts)


def _finding(finding) -> str:
    where = ""
    if finding.location is not None:
        loc = finding.location
        where = (f"<div>at <code>{escape(loc.file)}:{loc.line}</code> in "
                 f"<code>{escape(loc.function)}</code></div><pre>{escape(loc.code)}</pre>")
    path = " &rarr; ".join(escape(step.op) for step in finding.path)
    return (f'<div><span class="{escape(finding.severity)}"><b>{escape(finding.severity)}'
            f"[{escape(finding.cause)}]</b></span> {escape(finding.title)}"
            f"<div>variables: {escape(', '.join(finding.variables))}</div>{where}"
            f"<div>{escape(finding.message)}</div>"
            + (f"<div>path: {path}</div>" if path else "")
            + f"<div><b>fix:</b> {escape(finding.fix)}</div></div>")


def _table(report: Report) -> str:
    rows = "".join(
        f'<tr><td>{escape(v.name)}</td><td class="{"ok" if v.status == "ok" else "error"}">'
        f"{escape(v.status)}</td><td>{'' if v.norm is None else f'{v.norm:.3g}'}</td>"
        f"<td>{escape(v.layer)}</td></tr>" for v in report.variables)
    return ("<table><tr><th>variable</th><th>gradient</th><th>norm</th><th>layer</th></tr>"
            f"{rows}</table>")
