"""`Report`: what `check()` and `check_model()` found, for code, tests and notebooks."""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

from gradtrace.findings import Finding

STATUSES = ("ok", "none", "zero", "nonfinite", "vanishing")  # vanishing: GradientMonitor
_collecting: list[list["Report"]] = []  # the pytest plugin's: reports made during a test


def start_collecting() -> None:
    _collecting.append([])


def stop_collecting() -> list["Report"]:
    return _collecting.pop() if _collecting else []


class GradientError(AssertionError):
    """Raised by `Report.raise_for_problems()`; its message is the rendered report.

    An AssertionError, so that test frameworks show it as a failed check."""

    def __init__(self, report: "Report") -> None:
        super().__init__(report.render())
        self.report = report


@dataclass
class VariableGradient:
    """One trainable variable and what its gradient was."""

    name: str
    status: str  # ok | none | zero | nonfinite (| vanishing, from GradientMonitor)
    norm: float | None  # None when there is no gradient or its value is symbolic
    layer: str

    def to_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "norm": self.norm,
                "layer": self.layer}


def gradient_status(name: str, grad) -> VariableGradient:
    """A variable's gradient judged by its value: none, nonfinite, zero or ok, with its
    norm. A symbolic gradient (inside a traced function) exists but has no value yet."""
    layer = name.rsplit("/", 1)[0] if "/" in name else ""
    if grad is None:
        return VariableGradient(name, "none", None, layer)
    array = getattr(grad, "values", grad)  # IndexedSlices: the rows that got one
    if not hasattr(array, "numpy"):
        return VariableGradient(name, "ok", None, layer)
    import numpy as np

    values = np.asarray(array.numpy())
    if values.dtype.kind != "c":
        values = values.astype(np.float64)
    norm = float(np.sqrt(np.sum(np.square(np.abs(values)))))
    status = "nonfinite" if not np.all(np.isfinite(values)) else "zero" if norm == 0.0 \
        else "ok"
    return VariableGradient(name, status, norm, layer)


@dataclass(eq=False)
class Report:
    findings: list[Finding] = field(default_factory=list)
    variables: list[VariableGradient] = field(default_factory=list)
    exception: BaseException | None = None
    subject: str = ""  # what was checked: a function's or a model's name

    def __post_init__(self) -> None:
        if _collecting:
            _collecting[-1].append(self)

    @property
    def ok(self) -> bool:
        """No finding, no exception, and every variable's gradient present and finite
        (a zero gradient counts as a problem: that variable would not learn)."""
        return (not self.findings and self.exception is None
                and all(v.status == "ok" for v in self.variables))

    def problems(self) -> list[VariableGradient]:
        return [v for v in self.variables if v.status != "ok"]

    def raise_for_problems(self) -> None:
        if not self.ok:
            raise GradientError(self)

    # ----------------------------------------------------------------- output
    def to_dict(self) -> dict:
        from gradtrace.render.json_report import report_dict

        data = report_dict(self)
        data["variables_checked"] = [v.to_dict() for v in self.variables]
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    def render(self, summary: bool = True) -> str:
        """The text report (no colour); `summary` puts the one-line verdict first."""
        from gradtrace.render.text import make_console, render_text

        out = io.StringIO()
        render_text(self, make_console(out))
        text = out.getvalue().strip("\n")
        if not summary:
            return text
        line = self._summary_line()
        return f"{line}\n{text}" if text else line

    def _summary_line(self) -> str:
        what = f" for {self.subject}" if self.subject else ""
        if self.ok:
            return f"gradtrace: every gradient{what} is present and finite " \
                   f"({len(self.variables)} variables)."
        counts = {s: sum(v.status == s for v in self.variables) for s in STATUSES[1:]}
        parts = [f"{n} {s}" for s, n in counts.items() if n]
        if self.exception is not None:
            message = str(self.exception).strip().splitlines()
            parts.append(f"raised {type(self.exception).__name__}"
                         + (f" ({message[0][:160]})" if message else ""))
        return f"gradtrace: gradient problems{what}: " + (", ".join(parts) or "see below") + "."

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        state = "ok" if self.ok else f"{len(self.findings)} finding(s)"
        return f"<gradtrace.Report {self.subject or ''} {state}>".replace("  ", " ")

    def _repr_html_(self) -> str:
        from gradtrace.render.html_report import report_fragment

        return report_fragment(self)

    def to_html(self) -> str:
        """A self-contained HTML page of this report (no network request of any kind)."""
        from gradtrace.render.html_report import full_page

        return full_page(self)

    def save_html(self, path) -> None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(self.to_html())

    # Attributes the renderers read, shared with `gradtrace run`'s result.
    @property
    def script(self) -> str:
        return self.subject

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    @property
    def tensorflow_version(self) -> str | None:
        from gradtrace.runner import versions

        return versions()[0]

    @property
    def keras_version(self) -> str | None:
        from gradtrace.runner import versions

        return versions()[1]
