"""Lint one source text: scopes, class-level rules, suppressions."""
from __future__ import annotations

import ast
import re

from gradtrace.ast_scopes import walked
from gradtrace.lint.aliases import Aliases
from gradtrace.lint.analysis import (
    LAYER_BASES, Diagnostic, FunctionAnalyzer, ModuleFacts, Scope, Taint, _ends_with_one_unit,
    _is_layer_class, _target_names, _trainable, dotted, integer_dtype, variable_readers,
)
from gradtrace.lint.layer_state import (
    NOT_RUN_BY_CALL, check_lambda_functions, check_made_in_call,
    check_weights_computed_in_build, extends_keras_layer,
)
from gradtrace.lint.layer_stacks import check_layer_stacks
from gradtrace.lint.requested import (
    check_collected_before_build, check_module_holding_keras, check_statistics_requested,
)
from gradtrace.lint.stack_cuts import check_stack_cuts
from gradtrace.lint.unfreeze import check_unfrozen_after_training
from gradtrace.lint.rules import SYNTAX_ERROR

_SUPPRESS = re.compile(r"#\s*gradtrace:\s*ignore(?:\[(?P<codes>[A-Z0-9,\s]+)\])?", re.I)
WEIGHT_MAKERS = ("add_weight", "Variable", "add_variable")
PREDICTION_NAMES = {"y_pred", "pred", "preds", "prediction", "predictions", "logits", "y_hat",
                    "outputs", "output", "probs"}
TF_MODULE_ROOTS = {"tf", "tensorflow", "keras", "ops", "K"}


def lint_source(source: str, path: str = "<string>", keras: str | None = None) -> list[Diagnostic]:
    """The findings in one module's `source`. `keras` ("2" or "3") is the Keras the code
    runs under when the code itself does not say (`import tf_keras`,
    `TF_USE_LEGACY_KERAS`); without it, Keras 3, and messages that depend on it say so."""
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError) as exc:  # ValueError: NUL bytes
        line = getattr(exc, "lineno", None) or 1
        return [Diagnostic(SYNTAX_ERROR, line, 0, "", f"cannot parse: {exc.__class__.__name__}: "
                           f"{getattr(exc, 'msg', exc)}")]
    out: list[Diagnostic] = []
    nodes = list(ast.walk(tree))  # walked once; every check below filters this list
    facts = ModuleFacts(tree, nodes)
    if not facts.keras_stated and keras is not None:
        facts.legacy_keras, facts.keras_stated = keras == "2", True
    functions = list(_functions(tree))
    attributes: dict[int, tuple] = {}  # per class, computed once for all its methods
    facts.functions = {f.name: f for f, owner in functions if owner is None}
    facts.variable_readers = variable_readers(facts.functions, facts.variable_globals)
    facts.losses |= _made_by_loss_factories(facts)
    for node in nodes:
        if isinstance(node, ast.ClassDef) and node.name in facts.layer_classes:
            facts.class_defs[node.name] = node
            attributes[id(node)] = _class_attributes(node, facts)
    facts.class_attributes = attributes
    FunctionAnalyzer(facts, Scope("<module>", "module", key=id(tree)), out).run(tree.body)
    nesting = _nesting(tree)
    for node, owner in functions:
        scope = _scope_for(node, owner, facts, attributes)
        scope.key = id(node)
        scope.enclosing, scope.self_class = nesting.get(id(node), ((id(tree),), ""))
        scope.runs_in_training = node.name in facts.losses or node.name in facts.metrics or (
            owner is not None and _is_layer_class(owner) and node.name not in NOT_RUN_BY_CALL)
        if scope.runs_in_training:
            scope.local_names = _local_names(node)
        FunctionAnalyzer(facts, scope, out).run(node.body)
    if facts.compiles:
        for scope_node in [tree] + [f for f, _ in functions]:
            _check_one_unit_crossentropy(scope_node, out)
    if facts.freezes:  # (the aliases are built only then)
        # the unfreezing shapes first: at a line both report, theirs is the finding kept
        check_unfrozen_after_training(
            [tree] + [f for f, _ in functions] +
            [n for n in nodes if isinstance(n, ast.ClassDef)], out, nodes)
        _check_frozen_then_trained(nodes, Aliases(tree, functions), facts, out)
    imported = facts.imported_layers
    for node in nodes:
        if isinstance(node, ast.ClassDef) and extends_keras_layer(node, facts, imported):
            if _is_layer_class(node):
                _check_layer_class(node, facts, out)
            check_weights_computed_in_build(node, out)
            check_made_in_call(node, facts, imported, out)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list \
                and _decorated(node, "custom_gradient"):
            _check_custom_gradient(node, out)
    check_lambda_functions(nodes, facts, imported, out)
    check_layer_stacks(nodes, out)
    check_statistics_requested(nodes, out)
    check_module_holding_keras(nodes, facts, out)
    check_collected_before_build([tree] + [f for f, _ in functions], nodes, facts, out)
    check_stack_cuts(tree, [tree] + [f for f, _ in functions], nodes, facts, out)
    return _unsuppressed(_unique(out), source)


def _functions(tree: ast.Module):
    """Every function with the class it is a method of (or None). Functions are defined
    by statements, so only statement lists are walked, not expressions."""
    def visit(statements, owner):
        for child in statements:
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield child, owner
                yield from visit(child.body, None)
            elif isinstance(child, ast.ClassDef):
                yield from visit(child.body, child)
            else:
                for block in _blocks(child):
                    yield from visit(block, owner)
    yield from visit(tree.body, None)


def _nesting(tree: ast.Module) -> dict:
    """id(function) -> (the keys of the scopes around it, innermost first, the module
    last; the class `self` is in it: a method's, or that of the method it is nested in)."""
    found = {}

    def visit(statements, chain, cls, owner):
        for child in statements:
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self_class = owner.name if owner is not None else cls
                found[id(child)] = (chain, self_class)
                visit(child.body, (id(child),) + chain, self_class, None)
            elif isinstance(child, ast.ClassDef):
                visit(child.body, chain, "", child)
            else:
                for block in _blocks(child):
                    visit(block, chain, cls, owner)
    visit(tree.body, (id(tree),), "", None)
    return found


def _blocks(statement: ast.stmt):
    for name in ("body", "orelse", "finalbody"):
        block = getattr(statement, name, None)
        if isinstance(block, list):
            yield block
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


def _scope_for(node, owner: ast.ClassDef | None, facts: ModuleFacts, attributes) -> Scope:
    traced = bool(node.decorator_list) and _decorated(node, "function")
    params = [a.arg for a in node.args.args]
    if owner is not None and _is_layer_class(owner):
        if id(owner) not in attributes:
            attributes[id(owner)] = _class_attributes(owner, facts)
        weights, models = attributes[id(owner)]
        if node.name == "call":
            scope = Scope(node.name, "layer_call", traced, weights, models, owner=owner)
            if len(params) >= 2:
                scope.env[params[1]] = Taint(recorded=True, inputs_only=True)
            return scope
        if node.name == "train_step":
            return Scope(node.name, "train_step", True, frozenset(), models, owner=owner)
        return Scope(node.name, "function", traced, frozenset(), models, owner=owner)
    # A metric has a loss's signature; only what compile() takes as a loss, or what is
    # named a loss, is read as one.
    # A pure NumPy function (a reference implementation, a metric) is not a loss either.
    if node.name not in facts.numpy_helpers and (node.name in facts.losses or (
            "loss" in node.name.lower() and _uses_tensorflow(node))):
        predictions = [p for p in params if p in PREDICTION_NAMES]
        if not predictions and node.name in facts.losses and len(params) >= 2:
            predictions = [params[1]]  # compile() calls loss(y_true, y_pred)
        if predictions:
            scope = Scope(node.name, "loss", traced or node.name in facts.losses)
            for name in predictions:
                scope.env[name] = Taint(recorded=True)
            return scope
    return Scope(node.name, "function", traced)


def _made_by_loss_factories(facts) -> set[str]:
    """`compile(loss=custom_loss(n))`: the function `custom_loss` defines and returns is
    the loss."""
    made = set()
    for name in facts.losses & facts.functions.keys():
        factory = facts.functions[name]
        inner = {n.name for n in factory.body if isinstance(n, ast.FunctionDef)}
        made.update(r.value.id for r in ast.walk(factory) if isinstance(r, ast.Return)
                    and isinstance(r.value, ast.Name) and r.value.id in inner)
    return made


def _local_names(fn) -> frozenset:
    args = fn.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.difference_update(node.names)
    return frozenset(names)


def _uses_tensorflow(fn) -> bool:
    return any(isinstance(n, ast.Call) and dotted(n.func).split(".", 1)[0] in TF_MODULE_ROOTS
               for n in ast.walk(fn))


def _decorated(node, name: str) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if dotted(target).rsplit(".", 1)[-1] == name:
            return True
    return False


def _class_attributes(cls: ast.ClassDef, facts: ModuleFacts) -> tuple[frozenset, frozenset]:
    weights, models = set(), set()
    for node in walked(cls):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        for target in node.targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                    and target.value.id == "self":
                maker = dotted(node.value.func).rsplit(".", 1)[-1]
                if maker in WEIGHT_MAKERS and _trainable(node.value):
                    weights.add(target.attr)
                elif facts.constructs_model(node.value):
                    models.add(target.attr)
    return frozenset(weights), frozenset(models)


def _check_layer_class(cls: ast.ClassDef, facts: ModuleFacts, out: list[Diagnostic]) -> None:
    init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"),
                None)
    reimplements_base = cls.name in LAYER_BASES  # a framework's own base class
    if init is not None and not reimplements_base and not any(
            _is_super_init(n) for n in ast.walk(init)):
        out.append(Diagnostic("GT110", init.lineno, init.col_offset, "__init__",
                              f"{cls.name}.__init__ never calls super().__init__(): Keras "
                              "fails before any gradient exists."))
    _check_integer_weights(cls, facts.dtype_aliases, out)
    if facts.legacy_keras:
        return
    assigned = _assigned_attributes(cls)
    for node in walked(cls):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                and dotted(node.value.func) in ("tf.Variable", "tensorflow.Variable") \
                and _trainable(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and dotted(target.value) == "self" \
                        and target.attr not in assigned:
                    out.append(Diagnostic(
                        "GT109", node.lineno, node.col_offset, cls.name,
                        f"`self.{target.attr}` is a raw tf.Variable: Keras 3 does not track "
                        f"it, so it is not in {cls.name}'s trainable variables and never "
                        "trains. Use `self.add_weight(...)`." + (
                            "" if facts.keras_stated else " (Keras 3 assumed, the tf.keras "
                            "of TensorFlow 2.16 and later; tf-keras tracks it: if the code "
                            "runs under tf-keras, pass `--keras 2` or set `[tool.gradtrace] "
                            "keras = \"2\"`.)")))


def _check_integer_weights(cls: ast.ClassDef, aliases: dict, out: list[Diagnostic]) -> None:
    """`self.add_weight(..., dtype="int32")` left trainable: Keras lists it among the
    trainable variables, and an integer variable never gets a gradient."""
    for node in walked(cls):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("add_weight", "add_variable") and \
                dotted(node.func.value) == "self" and _trainable(node) and integer_dtype(node, aliases):
            out.append(Diagnostic(
                "GT114", node.lineno, node.col_offset, cls.name,
                f"This weight of {cls.name} has an integer dtype and is left trainable: "
                "gradients exist only for floating-point variables, so it never gets one "
                "(and when it is all a model trains, fit raises \"No gradients provided for "
                "any variable\"). Use a float dtype, or `trainable=False` for integer state.",
                variant="integer_weight"))


TRAINING_CALLS = ("train_on_batch", "fit")


def _check_frozen_then_trained(nodes: list, aliases: Aliases, facts,
                               out: list[Diagnostic]) -> None:
    """`d.trainable = False` and, with nothing in the module ever setting it back,
    `d.train_on_batch(...)` or `d.fit(...)`: the GAN pattern that freezes a discriminator
    for its combined model. Keras 3 reads `trainable` when the model trains, so `d` trains
    nothing; tf-keras keeps what `d` was when compiled, so there only freezing before
    `d.compile(...)` is a mistake."""
    frozen: dict = {}  # the object's alias key -> (its name there, the assignment)
    unfrozen, compiled, trained = set(), {}, {}
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "trainable" \
                        and dotted(target.value):
                    owner = aliases.key(target.value)
                    if isinstance(node.value, ast.Constant) and node.value.value is False:
                        if not aliases.rebound_after(target.value, node.lineno):
                            frozen.setdefault(owner, (dotted(target.value), node))
                    else:
                        unfrozen.update((owner, dotted(target.value)))
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and dotted(node.func.value):
                # by the object (followed through calls) and by the name the code uses,
                # unless that name is a parameter (then the calls say what it holds)
                owners = [aliases.key(node.func.value)]
                if not aliases.is_parameter(node.func.value):
                    owners.append(dotted(node.func.value))
                for owner in owners:
                    if node.func.attr == "compile":
                        compiled.setdefault(owner, node)
                    elif node.func.attr in TRAINING_CALLS:
                        trained.setdefault(owner, node)
            if any(isinstance(a, ast.Constant) and a.value is True for a in node.args):
                for arg in node.args:  # make_trainable(d, True)
                    if dotted(arg):
                        unfrozen.update((aliases.key(arg), dotted(arg)))
    for key, (owner, freeze) in frozen.items():
        call = trained.get(key) or trained.get(owner)
        compile_call = compiled.get(key) or compiled.get(owner)
        if key in unfrozen or owner in unfrozen or call is None or \
                _runs_before(call, freeze, aliases):
            continue
        before_compile = compile_call is not None and \
            aliases.scope_of.get(id(compile_call)) == aliases.scope_of.get(id(freeze)) and \
            freeze.lineno < compile_call.lineno
        if facts.legacy_keras and not before_compile:
            continue
        why = (f"before `{owner}.compile()` (line {compile_call.lineno}), so it compiles "
               "with no trainable weights" if before_compile else
               "and nothing sets it back: Keras 3 reads `trainable` when a model trains, "
               "not when it was compiled")
        trained_as = dotted(call.func.value)
        out.append(Diagnostic(
            "GT113", freeze.lineno, freeze.col_offset, "",
            f"`{owner}.trainable = False` here, {why}, so `{trained_as}.{call.func.attr}()` "
            f"(line {call.lineno}) trains nothing. Set `{trained_as}.trainable = True` before "
            "its own training step (and False before the combined model's)."))


def _runs_before(call: ast.Call, freeze: ast.Assign, aliases: Aliases) -> bool:
    """The training call comes first in the same function (a model trained, then frozen
    for good); in different functions, the order they run in is not known here."""
    return aliases.scope_of.get(id(call)) == aliases.scope_of.get(id(freeze)) and \
        call.lineno < freeze.lineno


def _assigned_attributes(cls: ast.ClassDef) -> frozenset:
    """Attributes whose variable the class updates itself (`self.p.assign(...)`): state
    such as an adaptive probability or a counter, not a weight meant to train."""
    return frozenset(
        node.func.value.attr for node in walked(cls)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("assign", "assign_add", "assign_sub")
        and isinstance(node.func.value, ast.Attribute)
        and dotted(node.func.value.value) == "self")


def _check_one_unit_crossentropy(scope: ast.AST, out: list[Diagnostic]) -> None:
    """compile(loss="categorical_crossentropy") on a Sequential ending in Dense(1), built
    in the same function: the softmax cross-entropy of a single class is constant."""
    one_unit: dict[str, bool] = {}
    for node in sorted(_own_statements(scope), key=lambda n: n.lineno):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for name in _target_names(node.targets):
                one_unit[name] = _ends_with_one_unit(node.value)
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and dotted(call.func).endswith(".compile")):
            continue
        model = dotted(call.func).rsplit(".", 1)[0]
        loss = next((k.value for k in call.keywords if k.arg == "loss"), None)
        if not one_unit.get(model) or loss is None:
            continue
        text = loss.value if isinstance(loss, ast.Constant) else dotted(
            loss.func if isinstance(loss, ast.Call) else loss)
        if isinstance(text, str) and text.rsplit(".", 1)[-1] in (
                "categorical_crossentropy", "CategoricalCrossentropy"):
            out.append(Diagnostic("GT115", call.lineno, call.col_offset, "",
                                  f"{model} ends in a one-unit Dense layer, and categorical "
                                  "cross-entropy over one class is constant: every gradient "
                                  "is zero. Use binary cross-entropy."))


def _own_statements(scope: ast.AST):
    """The statements of a function or module body, not those of nested definitions."""
    stack = [s for block in _blocks(scope) for s in block] if not isinstance(
        scope, ast.Module) else list(scope.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        stack.extend(s for block in _blocks(node) for s in block)


def _is_super_init(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__init__"):
        return False
    owner = node.func.value
    return (isinstance(owner, ast.Call) and dotted(owner.func) == "super") or \
        isinstance(owner, (ast.Name, ast.Attribute))


def _check_custom_gradient(fn, out: list[Diagnostic]) -> None:
    for inner in ast.walk(fn):
        if inner is fn or not isinstance(inner, (ast.FunctionDef, ast.Lambda)):
            continue
        returns = [n for n in ast.walk(inner) if isinstance(n, ast.Return)] \
            if isinstance(inner, ast.FunctionDef) else []
        for ret in returns:
            if ret.value is None or (isinstance(ret.value, ast.Constant)
                                     and ret.value.value is None):
                out.append(Diagnostic("GT111", ret.lineno, ret.col_offset, inner.name,
                                      f"The backward function of @tf.custom_gradient "
                                      f"`{fn.name}` returns None: nothing flows back."))


def _unique(found: list[Diagnostic]) -> list[Diagnostic]:
    seen, unique = set(), []
    for diagnostic in found:
        key = (diagnostic.rule, diagnostic.line)
        if key not in seen:
            seen.add(key)
            unique.append(diagnostic)
    return sorted(unique, key=lambda d: (d.line, d.col, d.rule))


def _unsuppressed(found: list[Diagnostic], source: str) -> list[Diagnostic]:
    lines = source.splitlines()
    kept = []
    for diagnostic in found:
        text = lines[diagnostic.line - 1] if 0 < diagnostic.line <= len(lines) else ""
        match = _SUPPRESS.search(text)
        if match is None:
            kept.append(diagnostic)
            continue
        codes = match.group("codes")
        if codes and diagnostic.rule not in {c.strip().upper() for c in codes.split(",")}:
            kept.append(diagnostic)
    return kept
