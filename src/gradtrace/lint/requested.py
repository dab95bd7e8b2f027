"""Rules about what `tape.gradient` is asked for.

`params = model.trainable_variables` taken before the model is built (a Sequential with
no input shape, a subclassed model, not yet called): the list is empty and stays so, and
the gradient asked for it is asked for nothing (GT117).

A `tf.Module` subclass that holds Keras layers or `keras.Variable`s: under Keras 3 they
are not tf.Modules or tf.Variables, so the module's `trainable_variables` lists none of
them (GT109, `keras_in_module`). Reported when the code asks an instance for its variables.

`model.variables` and `model.weights` hold the model's non-trainable variables too:
BatchNormalization's moving mean and variance, `add_weight(..., trainable=False)` state. They are updated by assignment, not by the loss, so their
gradients are None (GT116). Reported only when the module makes such variables, so that a
model of Dense layers alone, where the lists are equal, is left alone.
"""
from __future__ import annotations

import ast

from gradtrace.ast_scopes import own_nodes
from gradtrace.lint.analysis import Diagnostic, dotted

ALL_VARIABLES = ("variables", "weights")
# what makes non-trainable variables: layers with statistics, pretrained models, frozen state
STATISTICS_LAYERS = ("BatchNormalization", "BatchNorm", "SyncBatchNormalization")
WEIGHT_MAKERS = ("add_weight", "Variable", "add_variable")


def check_statistics_requested(nodes: list, out: list[Diagnostic]) -> None:
    tapes = {item.optional_vars.id for node in nodes if type(node) is ast.With
             for item in node.items if isinstance(item.optional_vars, ast.Name)
             and isinstance(item.context_expr, ast.Call)
             and dotted(item.context_expr.func).endswith("GradientTape")}
    if not tapes:
        return
    gradients = [n for n in nodes if type(n) is ast.Call and type(n.func) is ast.Attribute
                 and n.func.attr == "gradient" and type(n.func.value) is ast.Name
                 and n.func.value.id in tapes]
    if not gradients or not any(_all_variables_of(_sources(g)) or type(_sources(g)) is ast.Name
                                for g in gradients) or not _makes_non_trainable_variables(nodes):
        return
    lists = {t.id: node.value for node in nodes if isinstance(node, ast.Assign)
             and _all_variables_of(node.value) for t in node.targets if isinstance(t, ast.Name)}
    reported = set()
    # in source order, so that a model's one finding is at its first request
    for node in sorted(gradients, key=lambda n: (n.lineno, n.col_offset)):
        sources = _sources(node)
        if isinstance(sources, ast.Name):
            sources = lists.get(sources.id, sources)
        model = _all_variables_of(sources)
        if model and model not in reported:
            reported.add(model)
            out.append(_statistics_requested(node, model, sources.attr))


def _sources(call: ast.Call):
    return call.args[1] if len(call.args) > 1 else next(
        (k.value for k in call.keywords if k.arg == "sources"), None)


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


MODULE_BASES = ("tf.Module", "tensorflow.Module")
VARIABLE_LISTS = ("trainable_variables", "variables", "trainable_weights", "weights")


def check_module_holding_keras(nodes: list, facts, out: list[Diagnostic]) -> None:
    if facts.legacy_keras:  # tf-keras layers are tf.Modules: collected
        return
    modules = {n.name: n for n in nodes if isinstance(n, ast.ClassDef)
               and any(dotted(b) in MODULE_BASES for b in n.bases)}
    if not modules:
        return
    instances = {t.id: node.value.func.id for node in nodes if isinstance(node, ast.Assign)
                 and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                 and node.value.func.id in modules
                 for t in node.targets if isinstance(t, ast.Name)}
    asked = {instances[n.value.id] for n in nodes if isinstance(n, ast.Attribute)
             and n.attr in VARIABLE_LISTS and isinstance(n.value, ast.Name)
             and n.value.id in instances}
    for name in sorted(asked):
        held = _keras_attributes(modules[name], facts)
        if held:
            cls = modules[name]
            out.append(Diagnostic(
                "GT109", cls.lineno, cls.col_offset, name,
                f"`{name}` is a `tf.Module` holding Keras layers or variables "
                f"({', '.join(f'`self.{a}`' for a in held[:3])}): Keras 3 layers and variables "
                "are not tf.Modules or tf.Variables, so its `trainable_variables` lists none "
                "of them and they never train. Subclass `keras.Model` (or "
                "`keras.layers.Layer`) instead." + (
                    "" if facts.keras_stated else " (Keras 3 assumed: under tf-keras, layers "
                    "are tf.Modules and are collected.)"),
                variant="keras_in_module", names=held))


def _keras_attributes(cls: ast.ClassDef, facts) -> list[str]:
    """Attributes of `self` given a Keras layer, model or `keras.Variable` (directly, or
    in a list appended to)."""
    held = []
    for node in ast.walk(cls):
        value, attribute = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Attribute) and dotted(node.targets[0].value) == "self":
            value, attribute = node.value, node.targets[0].attr
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "append" and isinstance(node.func.value, ast.Attribute) and \
                dotted(node.func.value.value) == "self" and node.args:
            value, attribute = node.args[0], node.func.value.attr
        if value is not None and attribute not in held and any(
                isinstance(n, ast.Call) and _makes_keras_object(n, facts) for n in ast.walk(value)):
            held.append(attribute)
    return held


def _makes_keras_object(call: ast.Call, facts) -> bool:
    name = dotted(call.func)
    if name.endswith("keras.Variable") or name in ("keras.Variable",):
        return True
    return ".layers." in f".{name}" and name.rsplit(".", 1)[-1][:1].isupper() or \
        name in facts.imported_layers or facts.constructs_model(call, name) and \
        name not in facts.classes


BUILDS = ("build", "fit", "predict", "evaluate", "train_on_batch", "predict_on_batch",
          "summary", "load_weights", "__call__")


def check_collected_before_build(scopes: list, nodes: list, facts,
                                 out: list[Diagnostic]) -> None:
    asked = _names_given_as_variables(nodes)
    taken = [n for n in nodes if type(n) is ast.Assign and type(n.value) is ast.Attribute
             and n.value.attr in VARIABLE_LISTS and len(n.targets) == 1
             and dotted(n.targets[0]) in asked] if asked else []
    if not taken:
        return
    lines = {n.lineno for n in taken}
    scopes = [s for s in scopes if any(
        s.lineno <= line <= (s.end_lineno or 0) for line in lines)] \
        if not isinstance(scopes[0], ast.Module) else [scopes[0]] + [
            s for s in scopes[1:] if any(s.lineno <= line <= (s.end_lineno or 0)
                                         for line in lines)]
    unbuilt_classes = {n.name for n in nodes if isinstance(n, ast.ClassDef)
                       and any(dotted(b).endswith("Model") for b in n.bases)
                       and not _builds_itself(n)}
    for scope in scopes:
        unbuilt: dict[str, ast.AST] = {}  # model name -> its construction, while unbuilt
        for node in _in_order(scope):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if isinstance(target, ast.Name) and isinstance(value, ast.Call) and \
                        _unbuilt_model(value, unbuilt_classes):
                    unbuilt[target.id] = node
                    continue
                owner = dotted(value.value) if isinstance(value, ast.Attribute) and \
                    value.attr in VARIABLE_LISTS else ""
                name = dotted(target)
                if owner in unbuilt and name in asked:
                    out.append(_collected_before_build(node, name, owner, value.attr))
                    del unbuilt[owner]
            elif isinstance(node, ast.Call):
                called = node.func
                if isinstance(called, ast.Name) and called.id in unbuilt:
                    del unbuilt[called.id]  # model(x) builds it
                elif isinstance(called, ast.Attribute) and called.attr in BUILDS and \
                        dotted(called.value) in unbuilt:
                    del unbuilt[dotted(called.value)]


def _collected_before_build(node: ast.Assign, name: str, owner: str, attribute: str):
    return Diagnostic(
        "GT117", node.lineno, node.col_offset, "",
        f"`{name}` is taken from `{owner}.{attribute}` before `{owner}` is built: a Keras "
        "model makes its variables at its first call (or `build`), so this list is empty "
        "(Keras 3; tf-keras raises here) and the gradient asked for it is asked for "
        f"nothing. Read `{owner}.{attribute}` after the first call, or build the model "
        "first (`keras.Input(shape)` as its first layer, or `model.build(input_shape)`).",
        variant="collected_before_build", names=[owner])


def _builds_itself(cls: ast.ClassDef) -> bool:
    """A model class whose `__init__` builds it (`self.build(...)`, `self(x)`)."""
    init = next((n for n in cls.body if isinstance(n, ast.FunctionDef)
                 and n.name == "__init__"), None)
    return init is not None and any(
        isinstance(n, ast.Call) and (dotted(n.func) in ("self", "self.build", "self.call")
                                     or dotted(n.func).endswith(".build"))
        for n in ast.walk(init))


def _unbuilt_model(call: ast.Call, unbuilt_classes: set) -> bool:
    """`Sequential([...])` with no input shape, or a subclassed model of the module."""
    name = dotted(call.func)
    last = name.rsplit(".", 1)[-1]
    if last == "Sequential":
        return not any(isinstance(n, ast.Call) and dotted(n.func).rsplit(".", 1)[-1] in
                       ("Input", "InputLayer") or isinstance(n, ast.keyword) and n.arg in
                       ("input_shape", "input_dim", "batch_input_shape")
                       for n in ast.walk(call))
    return name in unbuilt_classes


def _names_given_as_variables(nodes: list) -> set[str]:
    """Names passed as the variables of `tape.gradient`, or zipped into `apply_gradients`."""
    names = set()
    for node in nodes:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "gradient" and len(node.args) > 1:
            names.add(dotted(node.args[1]))
        elif node.func.attr == "apply_gradients" and node.args and \
                isinstance(node.args[0], ast.Call) and dotted(node.args[0].func) == "zip" \
                and len(node.args[0].args) > 1:
            names.add(dotted(node.args[0].args[1]))
    names.discard("")
    return names


def _in_order(scope) -> list:
    """The nodes of a function or module body in source order, outside nested definitions."""
    return sorted(own_nodes(scope), key=lambda n: (getattr(n, "lineno", 0),
                                                   getattr(n, "col_offset", 0)))
