"""What a diagnosis says: the Finding shared by `run`, the API and the linter."""
from __future__ import annotations

import linecache
import os
from dataclasses import dataclass, field

from gradtrace.catalogue import cause


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    function: str = ""

    @property
    def code(self) -> str:
        return linecache.getline(self.file, self.line).strip()

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "function": self.function, "code": self.code}

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        """`train.py:12 in train_step`: the path relative to the working directory when
        it lies below it."""
        try:
            path = os.path.relpath(self.file)
        except ValueError:
            path = self.file
        if path.startswith(".."):
            path = self.file
        return f"{path}:{self.line}" + (f" in {self.function}" if self.function else "")


@dataclass(frozen=True)
class PathStep:
    op: str
    location: Location | None = None
    note: str = ""

    def to_dict(self) -> dict:
        step = {"op": self.op, "location": self.location.to_dict() if self.location else None}
        if self.note:
            step["note"] = self.note
        return step


@dataclass
class Finding:
    cause: str
    message: str
    variables: list[str] = field(default_factory=list)
    location: Location | None = None
    path: list[PathStep] = field(default_factory=list)
    severity: str = ""
    graph: object = field(default=None, repr=False, compare=False)  # analyze.flowgraph.FlowGraph
    variant: str = ""  # a particular shape of the cause, with its own fix in the catalogue
    # Findings with the same group are one mistake made twice (the same op on two lines of
    # one function): they are reported as one. Not part of the output.
    group: tuple = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.severity:
            self.severity = cause(self.cause).severity

    @property
    def title(self) -> str:
        return cause(self.cause).title

    @property
    def fix(self) -> str:
        return cause(self.cause).fix_for(self.variant)

    def key(self) -> tuple:
        """Identity for de-duplication across training steps."""
        where = (self.location.file, self.location.line) if self.location else None
        return (self.cause, where, tuple(self.variables))

    def to_dict(self) -> dict:
        return {
            "cause": self.cause,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "fix": self.fix,
            "variables": list(self.variables),
            "location": self.location.to_dict() if self.location else None,
            "path": [step.to_dict() for step in self.path],
            "graph": self.graph.to_dict() if self.graph is not None else None,
        }
