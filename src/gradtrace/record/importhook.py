"""Run a callback once a module has finished importing.

gradtrace must not import TensorFlow before the user's script does: scripts
set TF_USE_LEGACY_KERAS, CUDA_VISIBLE_DEVICES or log levels before their
first `import tensorflow`. So patches are installed from an import hook.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from typing import Callable


class _ExecThenNotify(importlib.abc.Loader):
    def __init__(self, loader, on_loaded: Callable[[str], None]) -> None:
        self._loader = loader
        self._on_loaded = on_loaded

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        self._loader.exec_module(module)
        self._on_loaded(module.__name__)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class AfterImport(importlib.abc.MetaPathFinder):
    """Calls `on_loaded(name)` after any module in `names` finishes executing."""

    def __init__(self, names: set[str], on_loaded: Callable[[str], None]) -> None:
        self._names = set(names)
        self._on_loaded = on_loaded
        self._busy: set[str] = set()

    def find_spec(self, fullname, path, target=None):
        if fullname not in self._names or fullname in self._busy:
            return None
        self._busy.add(fullname)
        try:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            if spec is None:
                for finder in sys.meta_path:
                    if finder is self or not hasattr(finder, "find_spec"):
                        continue
                    spec = finder.find_spec(fullname, path, target)
                    if spec is not None:
                        break
        finally:
            self._busy.discard(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _ExecThenNotify(spec.loader, self._on_loaded)
        return spec

    def install(self) -> None:
        sys.meta_path.insert(0, self)

    def remove(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)
