"""The terminal report: one block per finding, readable at 100 columns."""
from __future__ import annotations

import re
import sys
from typing import TextIO

from rich.console import Console, Group
from rich.padding import Padding
from rich.syntax import Syntax
from rich.text import Text

from gradtrace.findings import Finding, Location
from gradtrace.runner import RunResult

MAX_WIDTH = 100
MAX_LISTED_VARIABLES = 8
_TRAILING_SPACE = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def make_console(file: TextIO | None = None) -> Console:
    file = file or sys.stderr
    console = Console(file=file, highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(file=file, highlight=False, width=MAX_WIDTH, color_system=None)
    elif console.width > MAX_WIDTH:
        console.width = MAX_WIDTH
    return console


def render_text(result: RunResult, console: Console) -> None:
    print_trimmed(console, lambda: _render(result, console))


def print_trimmed(console: Console, draw) -> None:
    """Rich pads wrapped lines to the full width; write what `draw` prints without it."""
    with console.capture() as captured:
        draw()
    console.file.write(_TRAILING_SPACE.sub(r"\1", captured.get()))
    console.file.flush()


def _render(result: RunResult, console: Console) -> None:
    findings = result.findings
    if not findings:
        if result.exception is not None:
            console.print(Text("gradtrace: no missing-gradient problem found behind this "
                               f"{type(result.exception).__name__}.", style="dim"))
        return
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    counts = ", ".join(part for part in (
        f"{errors} error{'s' * (errors != 1)}" if errors else "",
        f"{warnings} warning{'s' * (warnings != 1)}" if warnings else "") if part)
    console.print()
    console.print(Text.assemble(("gradtrace", "bold"), f": {counts} about missing gradients"))
    for index, finding in enumerate(findings):
        console.print()
        console.print(finding_block(finding, primary=index == 0))


def finding_block(finding: Finding, primary: bool = False) -> Group:
    style = "bold red" if finding.severity == "error" else "bold yellow"
    parts = [Text.assemble((f"{finding.severity}[{finding.cause}]", style), ": ",
                           (finding.title, "bold"))]
    if finding.variables:
        parts.append(_field("variables", _variables(finding.variables)))
    if finding.location is not None:
        parts.append(_field("at", finding.location.describe()))
        code = _code_excerpt(finding.location)
        if code is not None:
            parts.append(Padding(code, (0, 0, 0, 4), expand=False))
    parts.append(Padding(Text(finding.message), (0, 0, 0, 2), expand=False))
    if finding.path:
        parts.append(_field("path", " -> ".join(_step(s) for s in finding.path)))
    parts.append(_field("fix", finding.fix, style="green"))
    parts.append(_field("more", f"gradtrace rule {finding.cause}", style="dim"))
    return Group(*parts)


def _field(label: str, value: str, style: str = "") -> Padding:
    text = Text.assemble((f"{label}: ", "bold"), (value, style))
    return Padding(text, (0, 0, 0, 2), expand=False)


def _variables(names: list[str]) -> str:
    if len(names) <= MAX_LISTED_VARIABLES:
        return ", ".join(names)
    shown = names[:MAX_LISTED_VARIABLES - 2] + ["..."] + names[-1:]
    return f"{len(names)} variables: " + ", ".join(shown) + " (--format json lists each)"


def _code_excerpt(location: Location):
    code = location.code
    if not code:
        return None
    return Syntax(code, "python", line_numbers=True, start_line=location.line,
                  theme="ansi_dark", word_wrap=True, background_color="default")


def _step(step) -> str:
    where = f" (line {step.location.line})" if step.location else ""
    note = f" [{step.note}]" if step.note else ""
    return f"{step.op}{where}{note}"
