"""A layer in a stack (a `Sequential` list, `.add` calls, a functional chain) that cuts
its input off on every path: a `Lambda` whose function rounds, takes an argmax or casts
to an integer, or one of the module's own layers whose `call` does. In a trained model
every weighted layer below it then gets no gradient (GT103 and the other cut rules,
reported at the cut's own line, in the function where it happens).

The layer's function is read as the analysis reads any function of the module, with its
input connected; only stacks with a weighted layer below the cutting one count (a cast
of the raw input before an `Embedding` cuts nothing that trains)."""
from __future__ import annotations

import ast

from gradtrace.lint.analysis import (CLEAN, Diagnostic, FunctionAnalyzer, Scope, Taint, _method,
                                     has_weights)
from gradtrace.lint.layer_stacks import _layer, _stacks

TRAINS = ("fit", "train_on_batch", "fit_generator", "compile")


def check_stack_cuts(tree: ast.Module, scopes: list, nodes: list, facts,
                     out: list[Diagnostic]) -> None:
    if not (facts.lambda_calls or facts.class_defs):
        return  # no layer whose function could cut
    if not any(type(n) is ast.Call and type(n.func) is ast.Attribute
               and n.func.attr in TRAINS for n in nodes):
        return  # no model of the module trains
    for scope in scopes:
        for stack in _stacks(scope):
            _check_stack(stack, facts, out)


def _check_stack(stack: list[ast.Call], facts, out: list[Diagnostic]) -> None:
    weighted_below = False
    found = None  # the cut nearest the output: every weighted layer below it is cut off
    for layer in stack:
        cut = _cut_by(layer, facts) if weighted_below else None
        if cut is not None:
            found = (layer, cut)
        weighted_below = weighted_below or _weighted(layer, facts)
    if found is not None:
        layer, cut = found
        out.append(Diagnostic(
            cut.rule, cut.line, cut.col, "",
            f"{cut.what} inside the layer `{_layer(layer)}` (line {layer.lineno}) cuts off "
            "every layer below it: the model's output is computed through it, so those "
            "layers' weights get no gradient."))


def _weighted(layer: ast.Call, facts) -> bool:
    return has_weights(_layer(layer), facts) or any(
        isinstance(a, ast.Call) and has_weights(_layer(a), facts) for a in layer.args)


def _cut_by(layer: ast.Call, facts):
    """The cut a layer's function makes of its input on every path, or None."""
    definition, owner, kind = _function_of(layer, facts)
    if definition is None:
        return None
    analyzer = FunctionAnalyzer(facts, Scope("<stack>", "function"), [])
    analyzer.scope.recording = True
    saved, facts.summaries = facts.summaries, dict(facts.summaries)
    try:
        result = analyzer.summary(definition, [], [Taint(recorded=True)], {}, owner=owner,
                                  kind=kind)
    finally:
        facts.summaries = saved
    if result is CLEAN or result.connected or not result.cuts:
        return None
    return min(result.cuts, key=lambda c: (c.line, c.col))


def _function_of(layer: ast.Call, facts):
    """The function a layer runs on its input: a Lambda's, or the module's own layer's
    `call` (also through a factory, `def ArgMax(): return Lambda(...)`)."""
    name = _layer(layer)
    if name in facts.functions and not layer.args:  # a factory of a layer
        returned = next((n.value for n in ast.walk(facts.functions[name])
                         if isinstance(n, ast.Return) and isinstance(n.value, ast.Call)), None)
        if returned is None:
            return None, None, ""
        layer, name = returned, _layer(returned)
    if name == "Lambda" and layer.args:
        function = layer.args[0]
        if isinstance(function, ast.Lambda):
            return function, None, "function"
        if isinstance(function, ast.Name) and function.id in facts.functions:
            return facts.functions[function.id], None, "function"
    cls = facts.class_defs.get(name)
    if cls is not None:
        call = _method(cls, "call")
        if call is not None:
            return call, cls, "layer_call"
    return None, None, ""
