"""Reversible monkey-patches: every patch is undone, in reverse order, on exit."""
from __future__ import annotations

import functools
from typing import Any, Callable

_MISSING = object()


class Patcher:
    def __init__(self) -> None:
        self._undo: list[tuple[Any, str, Any]] = []

    def replace(self, owner: Any, name: str, new: Any) -> None:
        """Set `owner.name = new`, remembering what was there (an own attribute or none)."""
        previous = owner.__dict__.get(name, _MISSING) if hasattr(owner, "__dict__") else _MISSING
        self._undo.append((owner, name, previous))
        setattr(owner, name, new)

    def wrap(self, owner: Any, name: str, make_wrapper: Callable[[Callable], Callable]) -> None:
        """Replace the method `owner.name` by `make_wrapper(original)`."""
        original = getattr(owner, name)
        wrapper = make_wrapper(original)
        functools.update_wrapper(wrapper, original)
        wrapper.__gradtrace_original__ = original
        self.replace(owner, name, wrapper)

    def undo_all(self) -> None:
        while self._undo:
            owner, name, previous = self._undo.pop()
            if previous is _MISSING:
                try:
                    delattr(owner, name)
                except AttributeError:
                    pass
            else:
                setattr(owner, name, previous)

    def __len__(self) -> int:
        return len(self._undo)
