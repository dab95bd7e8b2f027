"""Walking one scope of a parsed module, for the run's source tracing and for the linter."""
from __future__ import annotations

import ast


def own_nodes(scope: ast.AST):
    """The nodes of a function or module body, not those of nested functions or classes."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                 ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def walked(node: ast.AST) -> list:
    """`ast.walk(node)` as a list, computed once per node of a tree the caller parsed
    (the linter's class-level rules each read every class)."""
    nodes = node.__dict__.get("_walked")
    if nodes is None:
        nodes = node._walked = list(ast.walk(node))
    return nodes
