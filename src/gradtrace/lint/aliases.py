"""Which names of a module hold the same object: a model built in one function, returned,
passed to another function and used there under its parameter's name.

`critic = define_critic(); gan = define_gan(generator, critic)` and `def define_gan(g_model,
d_model): d_model.trainable = False` make `critic` and `define_gan`'s `d_model` one object;
so do `return g, d` and `g_model, d_model = build()`. Only calls of the module's own
functions by their plain name are followed; `self.x` is one object per class.
"""
from __future__ import annotations

import ast

from gradtrace.ast_scopes import own_nodes as _own_nodes
from gradtrace.lint.analysis import dotted

MODULE = "<module>"


class Aliases:
    def __init__(self, tree: ast.Module, functions: list) -> None:
        self._parent: dict = {}
        self.scope_of: dict[int, str] = {}  # id(node) -> the scope the node runs in
        defs = {f.name: f for f, owner in functions if owner is None}
        classes = {id(f): owner.name for f, owner in functions if owner is not None}
        scopes = [(MODULE, tree, None)] + [(self._name(f, classes), f, classes.get(id(f)))
                                           for f, _ in functions]
        for scope, node, cls in scopes:
            for child in _own_nodes(node):
                self.scope_of[id(child)] = scope
        self._classes = {scope: cls for scope, _, cls in scopes}
        self.parameters = {(scope, a.arg) for scope, node, _ in scopes[1:]
                           for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs}
        self._bound: dict[tuple, list[int]] = {}  # (scope, name) -> lines assigning it
        for scope, node, _ in scopes:
            for child in _own_nodes(node):
                if isinstance(child, ast.Assign):
                    for target in child.targets:
                        for name in ast.walk(target):
                            if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                                self._bound.setdefault((scope, name.id), []).append(child.lineno)
        for scope, node, _ in scopes:
            for child in _own_nodes(node):
                if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) \
                        and child.func.id in defs:
                    self._bind_arguments(scope, child, defs[child.func.id])
                elif isinstance(child, ast.Assign) and isinstance(child.value, ast.Call) and \
                        isinstance(child.value.func, ast.Name) and child.value.func.id in defs:
                    self._bind_returns(scope, child, defs[child.value.func.id])

    @staticmethod
    def _name(function, classes) -> str:
        owner = classes.get(id(function))
        return f"{owner}.{function.name}" if owner else function.name

    def key(self, node: ast.AST):
        """The object an expression names, as its alias group's representative."""
        scope = self.scope_of.get(id(node), MODULE)
        text = dotted(node)
        if text.startswith("self."):
            return self.find((self._classes.get(scope) or scope, text))
        return self.find((scope, text))

    def is_parameter(self, node: ast.AST) -> bool:
        """The expression's root name is a parameter of the function it is in."""
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return isinstance(node, ast.Name) and \
            (self.scope_of.get(id(node), MODULE), node.id) in self.parameters

    def rebound_after(self, node: ast.AST, line: int) -> bool:
        """The plain name `node` is assigned again after `line` in its function: from
        there on it names another object."""
        if not isinstance(node, ast.Name):
            return False
        scope = self.scope_of.get(id(node), MODULE)
        return any(later > line for later in self._bound.get((scope, node.id), ()))

    def find(self, item):
        parent = self._parent.setdefault(item, item)
        if parent != item:
            parent = self._parent[item] = self.find(parent)
        return parent

    def _union(self, a, b) -> None:
        self._parent[self.find(a)] = self.find(b)

    def _bind_arguments(self, scope: str, call: ast.Call, function) -> None:
        params = [a.arg for a in function.args.posonlyargs + function.args.args]
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                return
            if isinstance(arg, ast.Name) and index < len(params):
                self._union((scope, arg.id), (function.name, params[index]))
        for keyword in call.keywords:
            if keyword.arg in params and isinstance(keyword.value, ast.Name):
                self._union((scope, keyword.value.id), (function.name, keyword.arg))

    def _bind_returns(self, scope: str, assign: ast.Assign, function) -> None:
        returns = [n.value for n in _own_nodes(function) if isinstance(n, ast.Return)]
        if len(returns) != 1 or returns[0] is None or len(assign.targets) != 1:
            return
        target, value = assign.targets[0], returns[0]
        pairs = [(target, value)]
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and \
                len(target.elts) == len(value.elts):
            pairs = list(zip(target.elts, value.elts))
        for mine, theirs in pairs:
            if isinstance(mine, ast.Name) and isinstance(theirs, ast.Name):
                self._union((scope, mine.id), (function.name, theirs.id))
