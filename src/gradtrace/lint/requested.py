"""Rules about what `tape.gradient` is asked for.

`model.variables` and `model.weights` hold the model's non-trainable variables too:
BatchNormalization's moving mean and variance, `add_weight(..., trainable=False)` state. They are updated by assignment, not by the loss, so their
gradients are None (GT116). Reported only when the module makes such variables, so that a
model of Dense layers alone, where the lists are equal, is left alone.
"""
from __future__ import annotations

import ast

from gradtrace.lint.analysis import Diagnostic, dotted

ALL_VARIABLES = ("variables", "weights")
# what makes non-trainable variables: layers with statistics, pretrained models, frozen state
STATISTICS_LAYERS = ("BatchNormalization", "BatchNorm", "SyncBatchNormalization")
WEIGHT_MAKERS = ("add_weight", "Variable", "add_variable")


def check_statistics_requested(nodes: list, out: list[Diagnostic]) -> None:
    tapes = {item.optional_vars.id for node in nodes if isinstance(node, (ast.With,))
             for item in node.items if isinstance(item.optional_vars, ast.Name)
             and isinstance(item.context_expr, ast.Call)
             and dotted(item.context_expr.func).endswith("GradientTape")}
    if not tapes or not _makes_non_trainable_variables(nodes):
        return
    lists = {t.id: node.value for node in nodes if isinstance(node, ast.Assign)
             and _all_variables_of(node.value) for t in node.targets if isinstance(t, ast.Name)}
    reported = set()
    # in source order, so that a model's one finding is at its first request
    for node in sorted((n for n in nodes if isinstance(n, ast.Call)),
                       key=lambda n: (n.lineno, n.col_offset)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "gradient" and isinstance(node.func.value, ast.Name)
                and node.func.value.id in tapes):
            continue
        sources = node.args[1] if len(node.args) > 1 else next(
            (k.value for k in node.keywords if k.arg == "sources"), None)
        if isinstance(sources, ast.Name):
            sources = lists.get(sources.id, sources)
        model = _all_variables_of(sources)
        if model and model not in reported:
            reported.add(model)
            out.append(_statistics_requested(node, model, sources.attr))


def _statistics_requested(call: ast.Call, model: str, attribute: str) -> Diagnostic:
    return Diagnostic(
        "GT116", call.lineno, call.col_offset, "",
        f"`{model}.{attribute}` holds the non-trainable variables too (BatchNormalization's "
        "moving mean and variance, state made with `trainable=False`): they are updated by assignment, not by "
        "the loss, so their gradients are None. Ask for "
        f"`{model}.trainable_variables`, and give the optimizer the same list.",
        variant="non_trainable", names=[model])


def _all_variables_of(node) -> str:
    """'model' for `model.variables` / `model.weights`, else ''."""
    if isinstance(node, ast.Attribute) and node.attr in ALL_VARIABLES:
        return dotted(node.value)
    return ""


def _makes_non_trainable_variables(nodes: list) -> bool:
    for node in nodes:
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name.rsplit(".", 1)[-1] in STATISTICS_LAYERS or ".applications." in f".{name}":
                return True
            if name.rsplit(".", 1)[-1] in WEIGHT_MAKERS and any(
                    k.arg == "trainable" and isinstance(k.value, ast.Constant)
                    and k.value.value is False for k in node.keywords):
                return True
    return False
