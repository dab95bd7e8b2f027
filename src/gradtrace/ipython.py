"""IPython/Jupyter: `%load_ext gradtrace`.

Each cell runs under the recorder. An exception whose roots are missing gradients gets
the diagnosis attached (a PEP 678 note) and shown under the traceback; a tape.gradient
that returned None in a cell that went on is reported under the cell. `Report` objects
render as HTML by themselves (`Report._repr_html_`).
"""
from __future__ import annotations

import sys

from gradtrace.record.recorder import Recorder
from gradtrace.report import Report
from gradtrace.runner import collect_findings


class CellRecorder:
    def __init__(self, shell) -> None:
        self.shell = shell
        self.recorder: Recorder | None = None
        self.explained: BaseException | None = None

    def pre_run_cell(self, info=None) -> None:
        self.stop()
        self.recorder = Recorder().start()
        self.explained = None

    def post_run_cell(self, result=None) -> None:
        recorder = self.stop()
        if recorder is None or result is None or result.error_in_exec is not None:
            return
        report = Report(collect_findings(recorder, None))
        if report.findings:
            print(report.render(summary=False), file=sys.stderr)

    def stop(self) -> Recorder | None:
        recorder, self.recorder = self.recorder, None
        if recorder is not None:
            recorder.stop()
        return recorder

    def on_exception(self, shell, etype, value, tb, tb_offset=None):
        """IPython's custom exception handler: explain, then show the traceback."""
        recorder = self.stop()
        text = ""
        if recorder is not None and isinstance(value, BaseException):
            report = Report(collect_findings(recorder, value), exception=value)
            if report.findings:
                text = report.render(summary=False)
                value.gradtrace_report = report
                if hasattr(value, "add_note"):
                    value.add_note(text)
                else:
                    value.__notes__ = [*getattr(value, "__notes__", []), text]
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        if text and not _shows_notes():
            print(text, file=sys.stderr)


def _shows_notes() -> bool:
    """IPython shows PEP 678 notes under tracebacks from 8.15 on (Python 3.11+)."""
    try:
        import IPython

        major, minor = (int(p) for p in IPython.__version__.split(".")[:2])
    except (ImportError, ValueError):
        return False
    return sys.version_info >= (3, 11) and (major, minor) >= (8, 15)


_active: dict[int, CellRecorder] = {}


def load_ipython_extension(shell) -> None:
    if id(shell) in _active:
        return
    cells = _active[id(shell)] = CellRecorder(shell)
    shell.events.register("pre_run_cell", cells.pre_run_cell)
    shell.events.register("post_run_cell", cells.post_run_cell)
    shell.set_custom_exc((Exception,), cells.on_exception)


def unload_ipython_extension(shell) -> None:
    cells = _active.pop(id(shell), None)
    if cells is None:
        return
    cells.stop()
    shell.events.unregister("pre_run_cell", cells.pre_run_cell)
    shell.events.unregister("post_run_cell", cells.post_run_cell)
    shell.set_custom_exc((), None)
