"""Which frames are the user's code, and where in it we are.

Findings point at the user's file and line, never at TensorFlow or Keras.
A file is "library" when it lives in the standard library or in one of the
frameworks' packages; everything else (the script, the user's own modules,
their own installed packages) is the user's.
"""
from __future__ import annotations

import os
import sys
import sysconfig
import traceback
from types import CodeType, FrameType, FunctionType, TracebackType

from gradtrace.findings import Location

_FRAMEWORK_PACKAGES = (
    "tensorflow", "keras", "tf_keras", "tensorflow_estimator", "tensorflow_probability",
    "numpy", "absl", "optree", "ml_dtypes", "h5py", "google", "gradtrace", "IPython",
    "_pytest", "pytest", "pluggy", "rich", "wrapt", "tree",
)


def _library_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    stdlib = {paths["stdlib"], paths.get("platstdlib", paths["stdlib"])}
    roots = {os.path.join(p, "") for p in stdlib}
    for site_dir in {paths["purelib"], paths["platlib"]}:
        for pkg in _FRAMEWORK_PACKAGES:
            roots.add(os.path.join(site_dir, pkg, ""))
    # Framework packages imported from elsewhere (editable installs, vendored copies).
    for pkg in _FRAMEWORK_PACKAGES:
        module = sys.modules.get(pkg)
        module_file = getattr(module, "__file__", None)
        if module_file:
            roots.add(os.path.join(os.path.dirname(os.path.abspath(module_file)), ""))
    return tuple(sorted(roots))


_roots: tuple[str, ...] | None = None
_user_code_cache: dict[CodeType, bool] = {}
_user_file_cache: dict[str, bool] = {}  # a traced op's traceback has dozens of frames


def is_user_file(filename: str) -> bool:
    known = _user_file_cache.get(filename)
    if known is None:
        known = _user_file_cache[filename] = _is_user_file(filename)
    return known


def _is_user_file(filename: str) -> bool:
    global _roots
    if not filename or filename.startswith("<frozen") or "__autograph_generated" in filename:
        return False
    if _roots is None:
        _roots = _library_roots()
    path = os.path.abspath(filename)
    return not path.startswith(_roots)


def refresh_library_roots() -> None:
    """Pick up framework packages imported after the first look (e.g. tf_keras)."""
    global _roots
    _roots = None
    _user_code_cache.clear()
    _user_file_cache.clear()


def _is_user_code(code: CodeType) -> bool:
    known = _user_code_cache.get(code)
    if known is None:
        known = _user_code_cache[code] = is_user_file(code.co_filename)
    return known


def value_named(frame: FrameType, name: str):
    """What `name` holds where `frame` runs: its local, else its global (else None)."""
    return frame.f_locals.get(name, frame.f_globals.get(name))


def user_location(frame: FrameType | None) -> Location | None:
    """The innermost user frame at or above `frame`; a user's function that autograph
    converted and that runs eagerly (tf-keras converts loss functions and Lambda
    functions even under `run_eagerly`) counts, at the line it was converted from."""
    while frame is not None:
        code = frame.f_code
        if _is_user_code(code):
            return Location(code.co_filename, frame.f_lineno, code.co_name)
        if "__autograph_generated" in code.co_filename:
            origin = autograph_origin(code, frame.f_lineno, frame.f_back)
            if origin is not None and is_user_file(origin.file):
                return origin
        frame = frame.f_back
    return None


def user_stack(frame: FrameType | None, limit: int = 8) -> tuple:
    """The user frames at or above `frame`, innermost first, as (frame id, code, line):
    enough to find, later, the line a still-running function was on, without keeping
    any frame (and its locals) alive."""
    found = []
    while frame is not None and len(found) < limit:
        code = frame.f_code
        if _is_user_code(code):
            found.append((id(frame), code, frame.f_lineno))
        frame = frame.f_back
    return tuple(found)


def line_in_running_frame(stack: tuple, frame: FrameType | None) -> Location | None:
    """The line that `stack` (from `user_stack`) shows in `frame` or in one of the user
    frames that called it: where the code that made `stack` was entered from the function
    that is still running."""
    running = {}
    while frame is not None:
        running[id(frame)] = frame.f_code
        frame = frame.f_back
    for frame_id, code, lineno in stack:
        if running.get(frame_id) is code:
            return Location(code.co_filename, lineno, code.co_name)
    return None


def user_frame(frame: FrameType | None) -> FrameType | None:
    while frame is not None and not _is_user_code(frame.f_code):
        frame = frame.f_back
    return frame


def frames_up_to_user(frame: FrameType | None, limit: int = 40) -> list[FrameType]:
    """The autograph-generated frames from `frame` outwards, and the first user frame."""
    found = []
    while frame is not None and len(found) < limit:
        filename = frame.f_code.co_filename
        if _is_user_code(frame.f_code):
            found.append(frame)
            break
        if "__autograph_generated" in filename:
            found.append(frame)
        frame = frame.f_back
    return found


def caller_location(skip: int = 1) -> Location | None:
    return user_location(sys._getframe(skip + 1))


def location_from_stack(frames) -> Location | None:
    """Innermost user frame of a list of FrameSummary-like objects (outermost first)."""
    for summary in reversed(list(frames)):
        if is_user_file(summary.filename):
            return Location(summary.filename, summary.lineno, summary.name)
    return None


def traceback_frames(tb: TracebackType | None) -> list[FrameType]:
    """The frames of a traceback, outermost first."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames


_source_maps: dict[str, dict] = {}  # autograph-generated file -> {line: Location}


def autograph_origin(code: CodeType, lineno: int, frame: FrameType | None = None):
    """The user's line that autograph's generated code at `lineno` was converted from. The
    converted function keeps its source map; it is found once per generated file, in the
    locals of autograph's `converted_call`, which runs it, among the frames outside `frame`
    (a branch or loop body is a nested function of the same file)."""
    lines = _source_maps.get(code.co_filename)
    if lines is None:
        lines = _generated_lines(code, frame)
        if lines and len(_source_maps) < 512:
            _source_maps[code.co_filename] = lines
    return (lines or {}).get(lineno)


def _generated_lines(code: CodeType, frame: FrameType | None) -> dict:
    # (frames, not a gc walk: gc.get_referrers visits every object, and some objects of
    # C extensions crash when visited in the middle of a trace)
    depth = 0
    while frame is not None and depth < 60:
        depth += 1
        converted = frame.f_locals.get("converted_f") \
            if frame.f_code.co_name == "converted_call" else None
        source_map = getattr(converted, "__dict__", {}).get("ag_source_map") \
            if isinstance(converted, FunctionType) else None
        if isinstance(source_map, dict):
            lines = {generated.lineno: Location(origin.loc.filename, origin.loc.lineno,
                                                origin.function_name or code.co_name)
                     for generated, origin in source_map.items()
                     if getattr(generated, "filename", None) == code.co_filename}
            if lines:
                return lines
        frame = frame.f_back
    return {}


def user_frames_of(exc: BaseException) -> list[Location]:
    """The user's lines an exception passed through, outermost first, with the lines of
    functions autograph converted mapped back to the user's source."""
    found = []
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if _is_user_code(code):
            found.append(Location(code.co_filename, tb.tb_lineno, code.co_name))
        elif "__autograph_generated" in code.co_filename:
            origin = autograph_origin(code, tb.tb_lineno, tb.tb_frame.f_back)
            if origin is not None and is_user_file(origin.file):
                found.append(origin)
        tb = tb.tb_next
    return found


def exception_location(exc: BaseException) -> Location | None:
    """Where in the user's code an exception was raised.

    Autograph rewrites the user's functions into generated files; its error
    metadata carries the stack translated back to the original source.
    """
    metadata = getattr(exc, "ag_error_metadata", None)
    translated = getattr(metadata, "translated_stack", None)
    if translated:  # innermost frame first
        for frame in translated:
            filename = getattr(frame, "filename", None)
            if filename and is_user_file(filename):
                return Location(filename, frame.lineno, getattr(frame, "function_name", ""))
    summaries = traceback.extract_tb(exc.__traceback__)
    return location_from_stack(summaries)
