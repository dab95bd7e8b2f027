"""Following a value back through the user's source, for conversions no patch can see.

NumPy reads an EagerTensor through the buffer protocol in C (`np.square(t)`,
`np.mean(t)`): no Python method runs, so the recorder never sees that conversion. What
is left is evidence of two kinds: the loss given to `tape.gradient` is a NumPy value,
and the caller's frame still holds the tensors it was computed from. Reading the
assignments in the caller's function joins the two: the assignment whose expression
uses a live tensor, and produced a NumPy value, is where the values left TensorFlow.
"""
from __future__ import annotations

import ast
import linecache
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_MAX_HOPS = 8  # assignments followed back from the loss


@dataclass
class SourceConversion:
    line: int
    tensor: Any  # the tensor the expression read
    tensor_name: str
    expression: str


def find_conversion(frame, call_line: int, is_tensor) -> SourceConversion | None:
    """The assignment, before `call_line` in `frame`'s function, that turned a tensor
    into the NumPy/Python loss passed as the first argument of the call on that line."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    if scope is None:
        return None
    target = _first_argument_name(scope, call_line)
    if target is None:
        return None
    values = {**frame.f_globals, **frame.f_locals} if frame.f_code.co_name != "<module>" \
        else frame.f_globals
    pending, seen = [(target, call_line)], set()
    for _ in range(_MAX_HOPS):
        if not pending:
            break
        name, before = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        assignment = _last_assignment(scope, name, before)
        if assignment is None:
            continue
        used = [n.id for n in ast.walk(assignment.value) if isinstance(n, ast.Name)]
        tensors = [n for n in used if n in values and is_tensor(values[n])]
        if tensors:
            return SourceConversion(assignment.lineno, values[tensors[0]], tensors[0],
                                    ast.unparse(assignment.value))
        pending.extend((n, assignment.lineno) for n in used if n in values
                       and _is_numpy_value(values[n]))
    return None


def _is_numpy_value(value) -> bool:
    module = type(value).__module__ or ""
    return module == "numpy" or isinstance(value, (float, int))


@lru_cache(maxsize=64)
def _parsed(filename: str) -> ast.Module | None:
    source = "".join(linecache.getlines(filename))
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _scope_of(filename: str, first_line: int, name: str) -> ast.AST | None:
    tree = _parsed(filename)
    if tree is None or name == "<module>":
        return tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            decorated = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            if first_line in (node.lineno, decorated):
                return node
    return None


def _own_nodes(scope: ast.AST):
    """The nodes of a function or module body, not those of nested functions or classes."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                 ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _first_argument_name(scope: ast.AST, line: int) -> str | None:
    for node in _own_nodes(scope):
        if (isinstance(node, ast.Call) and node.lineno <= line <= (node.end_lineno or line)
                and isinstance(node.func, ast.Attribute) and node.func.attr == "gradient"
                and node.args and isinstance(node.args[0], ast.Name)):
            return node.args[0].id
    return None


def _last_assignment(scope: ast.AST, name: str, before: int):
    best = None
    for node in _own_nodes(scope):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None \
                and node.lineno < before and name in _assigned_names(node):
            if best is None or node.lineno > best.lineno:
                best = node
    return best


def _assigned_names(node) -> set[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
