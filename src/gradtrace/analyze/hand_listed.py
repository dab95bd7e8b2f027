"""A model whose class lists its trainable variables by hand, and leaves some out.

`Actor(Model)` overrides the `trainable_variables` property to return its layers'
variables one by one; the step asks for the gradient with respect to that list, while
`call` runs a layer the list forgets (or names another layer twice). The forgotten layer
takes part in every forward pass and never gets a gradient, silently. Keras' own
tracking still knows every weight of the model: the difference between what Keras
knows, what the loss read and what was asked for is the evidence.
"""
from __future__ import annotations

import ast
import inspect
import textwrap

from gradtrace import frames
from gradtrace.analyze.call import GradientCall
from gradtrace.record.recorder import handle_keys, variable_name
from gradtrace.findings import Finding, Location

OVERRIDDEN = ("trainable_variables", "trainable_weights")


def hand_listed_variables(call: GradientCall) -> list[Finding]:
    if call.frame is None:
        return []
    requested = {s.key for s in call.sources}
    recorded = {key for key, reads in call.ancestry.reads.items()
                if any(r.recording is not False for r in reads)}
    read = call.gradient_reads & recorded  # read under the tape, on a path with a gradient
    for model in _models_in(call.frame):
        override = _override(type(model))
        if override is None:
            continue
        known = _keras_trainable_weights(model)
        keys = {id(v): _key(v) for v in known}
        if not requested or not requested <= set(keys.values()):
            continue  # the gradient was asked for something else than this model's list
        left_out = [v for v in known if keys[id(v)] not in requested and keys[id(v)] in read]
        if left_out:
            return [_finding(model, override, left_out)]
    return []


def _models_in(frame) -> list:
    """Keras objects the user's frame holds, and those its `self` holds."""
    values = list(frame.f_locals.values())
    owner = frame.f_locals.get("self")
    if owner is not None:
        values += list(getattr(owner, "__dict__", {}).values())
    seen, models = set(), []
    for value in values:
        if id(value) not in seen and _is_keras_layer(value):
            seen.add(id(value))
            models.append(value)
    return models


def _is_keras_layer(value) -> bool:
    """By its class alone: reading attributes of the user's objects can run their code
    (TensorFlow's tracked containers sort their items when asked for weights)."""
    return not isinstance(value, type) and any(
        klass.__name__ == "Layer" and (klass.__module__ or "").split(".")[0] in (
            "keras", "tf_keras") for klass in type(value).__mro__)


def _override(cls) -> tuple | None:
    """(class, property name, property) of a user class that overrides the list."""
    for klass in cls.__mro__:
        try:
            user = frames.is_user_file(inspect.getfile(klass))
        except (TypeError, OSError):
            user = False
        if not user:
            continue
        for name in OVERRIDDEN:
            value = klass.__dict__.get(name)
            if isinstance(value, property) and value.fget is not None:
                return klass, name, value
    return None


def _keras_trainable_weights(model) -> list:
    """Every trainable weight Keras tracks for the model, read through Keras' own `weights`
    (the user's override is not called)."""
    for klass in type(model).__mro__:
        prop = klass.__dict__.get("weights")
        module = getattr(klass, "__module__", "") or ""
        if isinstance(prop, property) and module.split(".")[0] in ("keras", "tf_keras"):
            try:
                return [w for w in prop.fget(model) if getattr(w, "trainable", False)]
            except Exception:  # noqa: BLE001  (a model that is not built)
                return []
    return []


def _key(variable):
    keys = handle_keys(variable)
    return keys[0] if keys else None


def _finding(model, override, left_out: list) -> Finding:
    klass, name, prop = override
    location, twice = _where(prop.fget)
    names = [variable_name(v) for v in left_out]
    shown = ", ".join(names[:4]) + (" ..." if len(names) > 4 else "")
    repeated = f" It names `{twice}` twice." if twice else ""
    return Finding(
        cause="untracked_variable", variables=names, location=location, variant="hand_listed",
        message=f"`{klass.__name__}.{name}` lists the model's variables by hand, and the "
        f"gradient is asked for that list; it leaves out {shown}, which the forward pass "
        f"uses, so they never get a gradient.{repeated}")


def _where(function) -> tuple[Location | None, str]:
    """The line to edit: a term the returned sum repeats (the forgotten layer's place),
    else the return statement."""
    try:
        lines, start = inspect.getsourcelines(function)
        path = inspect.getsourcefile(function)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return None, ""
    returns = [n for n in ast.walk(tree) if isinstance(n, ast.Return) and n.value is not None]
    if not returns or path is None:
        return None, ""
    terms, seen = _terms(returns[0].value), {}
    for term in terms:
        text = ast.unparse(term)
        if text in seen:
            return Location(path, start + term.lineno - 1, function.__name__), text
        seen[text] = term
    return Location(path, start + returns[0].lineno - 1, function.__name__), ""


def _terms(node: ast.AST) -> list:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _terms(node.left) + _terms(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    return [node]
