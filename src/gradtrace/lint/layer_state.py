"""Rules about where a Keras layer makes its weights and the values it computes from them.

- A value computed from the layer's weights in `build()` or `__init__` and stored on
  `self` (`self.kernel = self.kernel * self.mask`) is computed once, while no tape records:
  `call()` then reads a constant, and the weights behind it never train (GT107).
- A layer, a model or a variable created inside `call()` (or a method `call()` runs), or
  inside the function of a `Lambda` layer, is made anew on every call and is not among
  the trainable variables the optimizer is given (GT109); so is a variable or a model
  that a `Lambda` function only captures.
"""
from __future__ import annotations

import ast

from gradtrace.ast_scopes import walked
from gradtrace.lint.analysis import Diagnostic, ModuleFacts, _is_layer_class, dotted, has_weights

WEIGHT_MAKERS = ("add_weight", "Variable", "add_variable", "variable")
# what `build` may read of a weight without computing from it
METADATA = ("shape", "dtype", "name", "path", "ndim", "trainable", "device", "constraint")
NOT_RUN_BY_CALL = ("__init__", "build", "get_config", "compute_output_shape", "from_config",
                   "compute_output_spec", "get_build_config", "build_from_config")
# weights a built-in Keras layer's own build() makes, for a subclass that extends it
BUILT_IN_WEIGHTS = {"kernel", "bias", "embeddings", "gamma", "beta", "recurrent_kernel",
                    "depthwise_kernel", "pointwise_kernel"}


def extends_keras_layer(cls: ast.ClassDef, facts: ModuleFacts, imported: set) -> bool:
    """A subclass of Layer/Model, of a built-in Keras layer, or of the module's own layer."""
    return _is_layer_class(cls) or any(_built_in_layer(dotted(b), imported) or
                                       dotted(b) in facts.layer_classes for b in cls.bases)


def _built_in_layer(name: str, imported: set) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last[:1].isupper() and (name in imported or ".layers." in f".{name}")


def check_weights_computed_in_build(cls: ast.ClassDef, out: list[Diagnostic]) -> None:
    """`self.x = <computed from weights>` in build/__init__, and `self.x` read elsewhere."""
    methods = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}
    weight_attrs = _weight_attributes(cls)
    if not _is_layer_class(cls):  # extends Conv2D, Dense...: its build made these
        weight_attrs |= BUILT_IN_WEIGHTS
    computed: dict[str, ast.AST] = {}  # attribute -> where its value was computed
    for name in ("__init__", "build"):
        if name in methods:
            computed.update(_computed_attributes(methods[name], weight_attrs))
    if not computed:
        return
    read = _attributes_read(m for name, m in methods.items() if name not in NOT_RUN_BY_CALL)
    if not _is_layer_class(cls):  # the built-in layer's own call() reads its weights
        for base in cls.bases:
            read.update((attr, f"{dotted(base)}.call") for attr in BUILT_IN_WEIGHTS
                        if attr not in read)
    for attr, where in computed.items():
        if attr in read:
            out.append(Diagnostic(
                "GT107", where.lineno, where.col_offset, cls.name,
                f"`self.{attr}` is computed from the layer's weights here, once, while no "
                f"tape records: `{read[attr]}()` reads that fixed result, so the weights "
                "behind it get no gradient. Compute it in `call()` (or a property that "
                "`call()` reads)."))


def check_made_in_call(cls: ast.ClassDef, facts: ModuleFacts, imported: set,
                       out: list[Diagnostic]) -> None:
    """Layers, models and variables created by `call()` or the methods it runs."""
    methods = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}
    for method in _run_by_call(methods):
        for node, guarded in _unguarded_nodes(method.body):
            if guarded or not isinstance(node, ast.Call):
                continue
            made = _what_it_makes(node, facts, imported, in_method=True)
            if made:
                out.append(Diagnostic(
                    "GT109", node.lineno, node.col_offset, method.name,
                    f"{made} is created inside `{cls.name}.{method.name}()`, which runs on "
                    f"every call: its weights are made anew each time and are not among "
                    f"the trainable variables the optimizer updates. Create it once in "
                    "`__init__()` or `build()` and use it here."))


def check_lambda_functions(nodes: list, facts: ModuleFacts, imported: set,
                           out: list[Diagnostic]) -> None:
    """`Lambda(fn)`: a Lambda layer tracks no weights; whatever `fn` creates, or the
    variables and models it only captures, never train."""
    if not facts.lambda_calls:
        return
    defs = {n.name: n for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    frozen = {dotted(t.value) for n in nodes if isinstance(n, ast.Assign)
              for t in n.targets if isinstance(t, ast.Attribute) and t.attr == "trainable"}
    for node in facts.lambda_calls:
        bodies, bound = _lambda_bodies(node.args[0], defs)
        made = False
        for body in bodies:
            for inner in ast.walk(body):
                what = isinstance(inner, ast.Call) and _what_it_makes(inner, facts, imported,
                                                                      in_method=False)
                if what:
                    made = True
                    out.append(Diagnostic(
                        "GT109", inner.lineno, inner.col_offset, "",
                        f"{what} is created inside the function of the Lambda layer at "
                        f"line {node.lineno}: a Lambda layer tracks no weights, so it is "
                        "not among the model's trainable variables and never trains. Write "
                        "a Layer subclass that creates it in `build()`."))
        if made:
            continue
        captured = _captured(bodies, bound, facts, frozen)
        if captured:
            out.append(Diagnostic(
                "GT109", node.lineno, node.col_offset, "",
                f"This Lambda layer's function uses `{captured}`, made outside it: a Lambda "
                f"layer tracks no weights, so `{captured}`'s are not among the model's "
                "trainable variables and never train. Use a Layer subclass that owns "
                "them (or call the model directly in the functional graph)."))


# ---------------------------------------------------------------- helpers
def _is_maker(value: ast.AST) -> bool:
    """`self.add_weight(...)`, `tf.Variable(...)`, or a list of them."""
    if isinstance(value, ast.Call):
        return dotted(value.func).rsplit(".", 1)[-1] in WEIGHT_MAKERS
    if isinstance(value, (ast.List, ast.Tuple)):
        return bool(value.elts) and all(_is_maker(e) for e in value.elts)
    if isinstance(value, (ast.ListComp, ast.GeneratorExp)):
        return _is_maker(value.elt)
    return False


def _makes_trainable(value: ast.AST) -> bool:
    """A maker of trainable weights: state made with `trainable=False` is not trained."""
    calls = [n for n in ast.walk(value) if isinstance(n, ast.Call)
             and dotted(n.func).rsplit(".", 1)[-1] in WEIGHT_MAKERS]
    return _is_maker(value) and all(_trainable_call(c) for c in calls)


def _weight_attributes(cls: ast.ClassDef) -> set:
    attrs = set()
    for node in walked(cls):
        if isinstance(node, ast.Assign) and _makes_trainable(node.value):
            attrs.update(t.attr for t in node.targets if _self_attribute(t))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "append" and _self_attribute(node.func.value) \
                and node.args and _makes_trainable(node.args[0]):
            attrs.add(node.func.value.attr)
    return attrs


def _self_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
        and node.value.id == "self"


def _computed_attributes(method: ast.FunctionDef, weight_attrs: set) -> dict:
    """Attributes that `method` sets to a value computed from weights (own or local).
    Branches are merged: a name computed from weights on one branch counts as computed."""
    weights = set()  # local names holding a weight
    derived: dict = {}  # local name or ("self", attr) -> where computed from weights
    found: dict[str, ast.AST] = {}
    for node in sorted((n for n in ast.walk(method) if isinstance(n, (ast.Assign, ast.Expr))),
                       key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.Expr):
            call = node.value  # self.kernels.append(kernel)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
                    call.func.attr == "append" and _self_attribute(call.func.value) and call.args:
                where = _origin(call.args[0], node, weight_attrs, weights, derived)
                if where is not None:
                    found.setdefault(call.func.value.attr, where)
            continue
        value = node.value
        where = None if _is_maker(value) else _origin(value, node, weight_attrs, weights,
                                                      derived)
        for target in node.targets:
            key = target.id if isinstance(target, ast.Name) else (
                ("self", target.attr) if _self_attribute(target) else None)
            if key is None:
                continue
            if _makes_trainable(value) and isinstance(key, str):
                weights.add(key)
            elif where is not None:
                derived.setdefault(key, where)
                if isinstance(key, tuple):
                    found.setdefault(key[1], where)
    return found


def _origin(value: ast.AST, node: ast.AST, attrs: set, weights: set, derived: dict):
    """Where `value` was computed from weights: `node` itself when it computes from a
    weight, the earlier computation when it passes on a value computed from one."""
    if isinstance(value, ast.Name) and value.id in derived:
        return derived[value.id]
    if _self_attribute(value) and ("self", value.attr) in derived:
        return derived[("self", value.attr)]
    if _reads_weights(value, attrs, weights):
        return node
    for inner in ast.walk(value):
        key = inner.id if isinstance(inner, ast.Name) else (
            ("self", inner.attr) if _self_attribute(inner) else None)
        if key in derived and isinstance(value, (ast.Call, ast.BinOp, ast.ListComp,
                                                 ast.List, ast.Tuple, ast.Subscript)):
            return derived[key]
    return None


def _reads_weights(value: ast.AST, attrs: set, weights: set) -> bool:
    """An expression that computes (an op, arithmetic, indexing) from a weight; reading
    a weight's shape or name is not computing from it."""
    computes = reads = False
    parents = {}
    for node in ast.walk(value):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Subscript, ast.ListComp)):
            computes = True
        elif isinstance(node, ast.Call):
            computes = computes or dotted(node.func).rsplit(".", 1)[-1] not in (
                "len", "int", "float", "str", "list", "tuple", "isinstance")
        if (_self_attribute(node) and node.attr in attrs) or (
                isinstance(node, ast.Name) and node.id in weights):
            parent = parents.get(id(node))
            if not (isinstance(parent, ast.Attribute) and parent.attr in METADATA):
                reads = True
    return computes and reads


def _attributes_read(methods) -> dict:
    """self.<attr> read -> the name of a method that reads it."""
    read = {}
    for method in methods:
        for node in ast.walk(method):
            if _self_attribute(node) and isinstance(node.ctx, ast.Load):
                read.setdefault(node.attr, method.name)
    return read


def _run_by_call(methods: dict) -> list:
    """`call` and the methods it calls as `self.<method>(...)`, transitively."""
    if "call" not in methods:
        return []
    order, pending = [], ["call"]
    while pending:
        name = pending.pop()
        if name in order or name not in methods or (name in NOT_RUN_BY_CALL):
            continue
        order.append(name)
        for node in ast.walk(methods[name]):
            if isinstance(node, ast.Call) and _self_attribute(node.func):
                pending.append(node.func.attr)
    return [methods[name] for name in order]


def _unguarded_nodes(body: list, guarded: bool = False):
    """Nodes with whether they run under a guard that makes creation happen once:
    `if self.x is None`, `if not self.built`, `hasattr(...)`, `with tf.init_scope()`."""
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, ast.If):
            inner = guarded or _is_once_guard(statement.test)
            yield from ((n, inner) for n in ast.walk(statement.test))
            yield from _unguarded_nodes(statement.body, inner)
            yield from _unguarded_nodes(statement.orelse, inner)
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            inner = guarded or any("init_scope" in dotted(i.context_expr.func)
                                   for i in statement.items
                                   if isinstance(i.context_expr, ast.Call))
            yield from _unguarded_nodes(statement.body, inner)
        elif isinstance(statement, (ast.For, ast.While, ast.Try)) or hasattr(statement, "cases"):
            for name in ("body", "orelse", "finalbody"):
                yield from _unguarded_nodes(getattr(statement, name, []) or [], guarded)
            for handler in getattr(statement, "handlers", ()):
                yield from _unguarded_nodes(handler.body, guarded)
            for case in getattr(statement, "cases", ()):
                yield from _unguarded_nodes(case.body, guarded)
            for field in ("iter", "test", "target"):
                if getattr(statement, field, None) is not None:
                    yield from ((n, guarded) for n in ast.walk(getattr(statement, field)))
        else:
            yield from ((n, guarded) for n in ast.walk(statement))


def _is_once_guard(test: ast.AST) -> bool:
    for node in ast.walk(test):
        if _self_attribute(node) or (isinstance(node, ast.Constant) and node.value is None):
            return True
        if isinstance(node, ast.Call) and dotted(node.func) in ("hasattr", "getattr"):
            return True
    return False


def _what_it_makes(call: ast.Call, facts: ModuleFacts, imported: set, in_method: bool) -> str:
    """`Dense(...)` / `tf.Variable(...)` / `self.add_weight(...)`, in the user's words, or ""."""
    name = dotted(call.func)
    if not name or name.endswith("()"):
        return ""
    last = name.rsplit(".", 1)[-1]
    if last in ("Variable", "variable") and name.split(".", 1)[0] in ("tf", "tensorflow", "K",
                                                                        "backend", "keras"):
        return f"`{name}(...)`" if _trainable_call(call) else ""
    if last == "add_weight" and in_method and name == "self.add_weight":
        return "`self.add_weight(...)`"
    if ".compat.v1.layers." in f".{name}" and last[:1].islower():
        return f"`{name}(...)` (a layer with its own variables)"
    if last in ("Sequential", "Model") or last in facts.layer_classes or name in imported or (
            (".layers." in f".{name}" or name.startswith("layers.")) and last[:1].isupper()):
        if not has_weights(last, facts):
            return ""
        return f"`{name}(...)`"
    return ""


def _trainable_call(call: ast.Call) -> bool:
    return not any(k.arg == "trainable" and isinstance(k.value, ast.Constant)
                   and k.value.value is False for k in call.keywords)


def _lambda_bodies(fn: ast.AST, defs: dict) -> tuple[list, dict]:
    """The code a Lambda layer runs: an inline lambda, a function by name, the function a
    factory call returns; with the factory's parameters bound to its arguments; and the
    module functions those call by name (one level)."""
    bound: dict[str, ast.AST] = {}
    if isinstance(fn, ast.Lambda):
        bodies = [fn.body]
    elif isinstance(fn, ast.Name) and fn.id in defs:
        bodies = [defs[fn.id]]
    elif isinstance(fn, ast.Call) and isinstance(fn.func, ast.Name) and fn.func.id in defs:
        factory = defs[fn.func.id]
        bound = {a.arg: v for a, v in zip(factory.args.args, fn.args)}
        bodies = [n for n in factory.body if isinstance(n, ast.FunctionDef)] + [
            r.value for r in ast.walk(factory) if isinstance(r, ast.Return)
            and isinstance(r.value, ast.Lambda)]
    else:
        return [], bound
    called = [defs[n.func.id] for body in bodies for n in ast.walk(body)
              if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in defs
              and defs[n.func.id] not in bodies]
    return bodies + called, bound


def _captured(bodies: list, bound: dict, facts: ModuleFacts, frozen: set) -> str:
    """A trainable variable or a model made outside the Lambda function and used in it."""
    local = {a.arg for b in bodies if isinstance(b, (ast.FunctionDef, ast.Lambda))
             for a in b.args.args} - set(bound)
    for body in bodies:
        for node in ast.walk(body):
            if not isinstance(node, ast.Name) or node.id in local:
                continue
            value = bound.get(node.id)
            name = dotted(value) if value is not None else node.id
            if name in frozen:
                continue
            if name in facts.trainable_variables:
                return name
            called = any(isinstance(c, ast.Call) and c.func is node for c in ast.walk(body))
            if called and name in facts.models:
                return name
    return ""
