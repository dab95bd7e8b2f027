"""HTML reports: a fragment for notebooks, and a self-contained page to open or share.

The page has inline CSS only: it makes no network request. Every user-controlled string
(variable, layer, file and function names, source lines, messages) goes through
`escape`: a layer may be called `<img src=x onerror=...>`.
"""
from __future__ import annotations

import html
import linecache

CONTEXT_LINES = 3

_STYLE = (
    ".gradtrace{font-family:system-ui,sans-serif;font-size:13px;max-width:1100px}"
    ".gradtrace .error{color:#b00020}.gradtrace .warning{color:#9a6700}"
    ".gradtrace .ok{color:#1a7f37}.gradtrace pre{background:#f6f8fa;padding:4px 8px;"
    "margin:2px 0;overflow-x:auto}.gradtrace pre .here{background:#ffe0e0;display:block}"
    ".gradtrace table{border-collapse:collapse}.gradtrace td,.gradtrace th"
    "{padding:1px 8px;text-align:left;border-bottom:1px solid #ddd}"
    ".gradtrace .finding{border-left:4px solid #ddd;padding:4px 12px;margin:12px 0}"
    ".gradtrace .path li.break{font-weight:bold;color:#b00020}"
)


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def report_fragment(report) -> str:
    """Findings and, when known, the per-variable table; for notebooks (`_repr_html_`)."""
    summary = report._summary_line() if hasattr(report, "_summary_line") else ""
    parts = [f"<style>{_STYLE}</style>", '<div class="gradtrace">']
    if summary:
        parts.append(f"<p><b>{escape(summary)}</b></p>")
    parts += [_finding(f) for f in report.findings]
    if not report.findings and not summary:
        parts.append("<p>No missing-gradient problem found.</p>")
    if getattr(report, "variables", None):
        parts.append(_table(report.variables))
    parts.append("</div>")
    return "".join(parts)


def full_page(report, title: str = "gradtrace report") -> str:
    """A self-contained page (no script, no external resource)."""
    subject = getattr(report, "script", "") or getattr(report, "subject", "")
    exception = getattr(report, "exception", None)
    header = f"<h1>{escape(title)}</h1>"
    if subject:
        header += f"<p>{escape(subject)}</p>"
    if exception is not None:
        header += (f"<p>raised <code>{escape(type(exception).__name__)}: "
                   f"{escape(str(exception)[:500])}</code></p>")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">"
            f"<title>{escape(title)}</title></head><body>{header}"
            f"{report_fragment(report)}</body></html>\n")


def _finding(finding) -> str:
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
    return (f'<div class="finding"><span class="{escape(finding.severity)}"><b>'
            f"{escape(finding.severity)}[{escape(finding.cause)}]</b></span> "
            f"{escape(finding.title)}"
            f"<div>variables: {escape(', '.join(finding.variables))}</div>{where}"
            f"<div>{escape(finding.message)}</div>"
            + (f'<ol class="path">{steps}</ol>' if steps else "")
            + f"<div><b>fix:</b> {escape(finding.fix)}</div></div>")


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
