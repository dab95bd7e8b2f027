"""Run a user's script as `python SCRIPT ARGS` would, under the recorder."""
from __future__ import annotations

import os
import runpy
import sys
import traceback
from dataclasses import dataclass, field

from gradtrace.analyze.exceptions import explain_exception
from gradtrace.findings import Finding
from gradtrace.record.recorder import Recorder


class UsageError(Exception):
    """A problem with gradtrace's own input: reported in one line, exit status 2."""


@dataclass
class RunResult:
    script: str
    exit_code: int
    exception: BaseException | None = None
    findings: list[Finding] = field(default_factory=list)
    internal_errors: list[BaseException] = field(default_factory=list)
    tensorflow_version: str | None = None
    keras_version: str | None = None


def resolve_script(path: str) -> str:
    """The file to run, or a UsageError that says what is wrong with `path`."""
    if not os.path.exists(path):
        raise UsageError(f"can't open file '{path}': no such file")
    if os.path.isdir(path):
        main = os.path.join(path, "__main__.py")
        if not os.path.isfile(main):
            raise UsageError(f"'{path}' is a directory with no __main__.py; give a Python script")
        path = main
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as exc:
        raise UsageError(f"can't open file '{path}': {exc.strerror}") from None
    if b"\0" in source[:4096]:
        raise UsageError(f"'{path}' is not a Python script (it looks like a binary file)")
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        where = f"{exc.filename or path}:{exc.lineno}" if exc.lineno else path
        raise UsageError(f"{where}: the script is not valid Python: {exc.msg}") from None
    except ValueError as exc:
        raise UsageError(f"'{path}' is not a Python script: {exc}") from None
    return path


def run_script(path: str, args: list[str], recorder: Recorder | None = None) -> RunResult:
    script = resolve_script(path)
    recorder = recorder or Recorder()
    saved_argv, saved_path0 = sys.argv[:], sys.path[0] if sys.path else None
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    result = RunResult(script=os.path.abspath(script), exit_code=0)
    main_module = sys.modules.get("__main__")
    try:
        recorder.start()
        try:
            _exec_as_main(os.path.abspath(script))
        except SystemExit as exc:
            result.exit_code = _exit_code(exc)
        except KeyboardInterrupt as exc:
            result.exception, result.exit_code = exc, 130
            _print_exception(exc)
        except BaseException as exc:  # noqa: BLE001  (the user's, reported like Python does)
            result.exception, result.exit_code = exc, 1
            _print_exception(exc)
    finally:
        recorder.stop()
        sys.argv = saved_argv
        if sys.path and saved_path0 is not None:
            sys.path.pop(0)
        if main_module is not None:
            sys.modules["__main__"] = main_module
    result.findings = collect_findings(recorder, result.exception)
    result.internal_errors = list(recorder.internal_errors)
    result.tensorflow_version, result.keras_version = versions()
    return result


def _exec_as_main(path: str) -> None:
    """Execute the script as Python executes `python SCRIPT`: a fresh `__main__` module
    (so pickling and Keras' custom objects find the script's classes), the absolute file
    name in tracebacks, sys.argv[0] as the user wrote it."""
    import builtins
    import importlib.machinery
    import types

    with open(path, "rb") as handle:
        code = compile(handle.read(), path, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__dict__.update(__file__=path, __builtins__=builtins, __spec__=None, __package__=None,
                         __cached__=None,
                         __loader__=importlib.machinery.SourceFileLoader("__main__", path))
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def collect_findings(recorder: Recorder, exception: BaseException | None) -> list[Finding]:
    """What the recorder found, plus what the exception itself shows, most likely first."""
    recorder._guard(recorder.withdraw_moved_zero_gradients)
    recorder._guard(recorder.check_terms_after_gradient)
    recorder._guard(recorder.check_trained_weights)
    recorder._guard(recorder.check_unmoved_steps)
    recorder._guard(recorder.check_trained_models)
    if exception is not None and not _has_errors(recorder.findings):
        for finding in explain_exception(recorder, exception):
            recorder.add_finding(finding)
    return rank(list(recorder.findings))


def rank(findings: list[Finding]) -> list[Finding]:
    """Errors before warnings; otherwise in the order the program met them."""
    return sorted(findings, key=lambda f: 0 if f.severity == "error" else 1)


def _has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def _exit_code(exc: SystemExit) -> int:
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _print_exception(exc: BaseException) -> None:
    """Print the traceback as Python would, without gradtrace's and runpy's frames."""
    report = traceback.TracebackException.from_exception(exc)
    _drop_own_frames(report, set())
    sys.stdout.flush()
    print("".join(report.format()), end="", file=sys.stderr)
    sys.stderr.flush()


def _drop_own_frames(report: traceback.TracebackException, seen: set) -> None:
    if id(report) in seen:
        return
    seen.add(id(report))
    kept = [frame for frame in report.stack if not _is_own_frame(frame.filename)]
    report.stack = traceback.StackSummary.from_list(kept)
    for chained in (report.__cause__, report.__context__):
        if chained is not None:
            _drop_own_frames(chained, seen)


def _is_own_frame(filename: str) -> bool:
    return filename in (runpy.__file__, "<frozen runpy>") or filename.startswith(
        os.path.dirname(os.path.abspath(__file__)) + os.sep)


def versions() -> tuple[str | None, str | None]:
    tf = sys.modules.get("tensorflow")
    tf_version = getattr(tf, "__version__", None)
    keras = None
    legacy = os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true", "yes")
    for name in (("tf_keras", "keras") if legacy else ("keras", "tf_keras")):
        module = sys.modules.get(name)
        if getattr(module, "__version__", None):
            keras = module.__version__
            break
    return tf_version, keras
