"""Rules about unfreezing a model that has already trained (GT113, variants
`unfrozen_after_compile` and `unfrozen_during_fit`).

`fit()` and `train_on_batch()` build the model's train step on their first call, with the
trainable variables the model has then, and reuse it; only `compile()` makes them build it
anew. So layers frozen for a first training and unfrozen afterwards (fine-tuning) stay
frozen in the next `fit()` unless the model is compiled again in between; and a callback
that unfreezes layers during `fit()` changes nothing for the rest of that `fit()`.

Read in one function or module body, in source order: a freeze of X, a training of N, the
unfreeze of X, then the next training, again of N, with no `N.compile()` between the two
trainings. (A GAN loop that unfreezes its discriminator to train the discriminator itself
has another model's training next, and is left alone.)
"""
from __future__ import annotations

import ast

from gradtrace.ast_scopes import own_nodes
from gradtrace.lint.analysis import Diagnostic, dotted

TRAINING_CALLS = ("fit", "train_on_batch", "fit_generator")
CALLBACK_METHODS = ("on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
                    "on_train_batch_end", "on_batch_begin", "on_batch_end", "on_train_begin")


def check_unfrozen_after_training(scopes: list, out: list[Diagnostic], nodes: list = ()) -> None:
    # only the scopes that set a `trainable` flag (this runs on every module that freezes)
    lines = [n.lineno for n in nodes if type(n) is ast.Assign and any(
        type(t) is ast.Attribute and t.attr == "trainable" for t in n.targets)]
    if nodes:
        scopes = [s for s in scopes if isinstance(s, ast.Module) or any(
            s.lineno <= line <= (s.end_lineno or 0) for line in lines)]
    for scope in scopes:
        if isinstance(scope, ast.ClassDef):
            _check_callback(scope, out)
        else:
            _check_scope(scope, out)


def _check_scope(scope, out: list[Diagnostic]) -> None:
    events = sorted(_events(scope), key=lambda e: (e[0].lineno, e[0].col_offset))
    frozen_at: dict[str, int] = {}  # what was frozen -> the line it was first frozen at
    last_training = None  # (model, call)
    for index, (node, kind, name, shown, _) in enumerate(events):
        if kind == "freeze":
            frozen_at.setdefault(name, node.lineno)
        elif kind == "train":
            last_training = (name, node)
        elif kind == "unfreeze" and last_training and \
                _frozen_for(name, last_training, frozen_at):
            model, before = last_training
            after = _next_training(events[index + 1:], model)
            if after is not None:
                out.append(_unfrozen_after_training(node, shown, model, before, after))
                last_training = None  # one finding per unfreezing
    _check_held_by_frozen_container(events, out)


def _check_held_by_frozen_container(events: list, out: list[Diagnostic]) -> None:
    """`model.trainable = False`, then layers of `model` unfrozen one by one, and nothing
    unfreezing `model` itself before it trains: a frozen model has no trainable weights
    whatever its layers say."""
    for index, (freeze, kind, name, _, itself) in enumerate(events):
        if kind != "freeze" or not itself:
            continue
        later = events[index + 1:]
        if any(k == "unfreeze" and n == name and own for _, k, n, _, own in later):
            continue
        inner = next(((node, shown) for node, k, n, shown, own in later
                      if k == "unfreeze" and n == name and not own), None)
        trains = any(k in ("train", "compile") and n == name for _, k, n, _, _ in later)
        if inner and trains:
            out.append(_held_by_frozen_container(freeze, name, *inner))


def _frozen_for(name: str, training, frozen_at: dict) -> bool:
    """What is unfrozen was frozen when `training` ran: frozen by that name, or reached
    through the trained model itself (`model.layers[1].layers`) while something was."""
    model, call = training
    if name == model:
        return any(line < call.lineno for line in frozen_at.values())
    return frozen_at.get(name, call.lineno) < call.lineno


def _next_training(events: list, model: str):
    """The next training call, when it is of `model` and no compile of it comes first."""
    for node, kind, name, _, _ in events:
        if kind == "compile" and name == model:
            return None
        if kind == "train":
            return node if name == model else None
    return None


def _events(scope):
    """(node, kind, name, as the code shows it, whether it is the model itself) for every
    freeze, unfreeze, compile and training call. A `trainable = <expression>` counts as
    an unfreeze: it may set True."""
    loops = {}  # loop variable -> what the loop goes over (`for layer in base.layers`)
    shown = {}  # the same, as the code writes it
    for node in own_nodes(scope):  # (a `for` comes before its body)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            loops[node.target.id] = _root(node.iter, {})
            shown[node.target.id] = f"the layers of `{ast.unparse(node.iter)}`"
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "trainable":
                    root = _root(target.value, loops)
                    if root:
                        freeze = isinstance(node.value, ast.Constant) and \
                            node.value.value is False
                        yield node, "freeze" if freeze else "unfreeze", root, \
                            shown.get(dotted(target.value), f"`{ast.unparse(target.value)}`"), \
                            dotted(target.value) == root
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = dotted(node.func.value)
            if owner and node.func.attr == "compile":
                yield node, "compile", owner, owner, True
            elif owner and node.func.attr in TRAINING_CALLS:
                yield node, "train", owner, owner, True


def _root(node, loops: dict) -> str:
    """The model or layer a `trainable` flag belongs to: `base` for `base`,
    `base.layers[3]`, `base.get_layer("conv")`, or a loop variable over `base.layers`."""
    while True:
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "get_layer":
            node = node.func.value
        elif isinstance(node, ast.Attribute) and node.attr in ("layers", "submodules"):
            node = node.value
        else:
            break
    if isinstance(node, ast.Name) and node.id in loops:
        return loops[node.id]
    return dotted(node)


def _check_callback(cls: ast.ClassDef, out: list[Diagnostic]) -> None:
    if not any(dotted(base).endswith("Callback") for base in cls.bases):
        return
    for method in cls.body:
        if not (isinstance(method, ast.FunctionDef) and method.name in CALLBACK_METHODS):
            continue
        nodes = list(ast.walk(method))
        if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
               and n.func.attr == "compile" for n in nodes):
            continue
        for node in nodes:
            if isinstance(node, ast.Assign) and not (  # True, or a value that may be
                    isinstance(node.value, ast.Constant) and not node.value.value) and any(
                        isinstance(t, ast.Attribute) and t.attr == "trainable"
                        for t in node.targets):
                out.append(_unfrozen_in_callback(node, method.name))
                return


def _unfrozen_after_training(node, shown: str, model: str, before, after) -> Diagnostic:
    return Diagnostic(
        "GT113", node.lineno, node.col_offset, "",
        f"This unfreezes {shown} after `{model}.{before.func.attr}()` (line "
        f"{before.lineno}) built the train step with them frozen, and `{model}` is not "
        f"compiled again: `{model}.{after.func.attr}()` (line {after.lineno}) reuses that "
        f"step, so the unfrozen weights still do not train. Call `{model}.compile(...)` "
        "after unfreezing (with a low learning rate for fine-tuning).",
        variant="unfrozen_after_compile", names=[model])


def _held_by_frozen_container(freeze, model: str, unfreeze, shown: str) -> Diagnostic:
    return Diagnostic(
        "GT113", freeze.lineno, freeze.col_offset, "",
        f"`{model}.trainable = False` freezes the whole model, and line {unfreeze.lineno} "
        f"then unfreezes {shown} inside it: a frozen model has no trainable weights, "
        "whatever its layers say, so nothing trains. Drop this line (or set "
        f"`{model}.trainable = True`) and freeze only the layers that stay fixed.",
        variant="held_by_container", names=[model])


def _unfrozen_in_callback(node, method: str) -> Diagnostic:
    return Diagnostic(
        "GT113", node.lineno, node.col_offset, method,
        f"A layer is unfrozen in the callback's `{method}`, during `fit()`: `fit()` built "
        "its train step with the trainable variables of its start and reuses it, so the "
        "unfrozen weights do not train for the rest of this `fit()`. Stop `fit()` at that "
        "epoch, unfreeze, `compile(...)` again and call `fit(..., initial_epoch=...)`.",
        variant="unfrozen_during_fit")
