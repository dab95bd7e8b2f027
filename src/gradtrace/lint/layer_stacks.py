"""Rules about how a stack of Keras layers is configured, when the configuration alone
makes every gradient zero (GT115):

- a softmax over a single unit (`Dense(1, activation="softmax")`, or `Dense(1)` followed
  by `Activation("softmax")`) puts out 1 whatever its input: nothing below it can learn;
- two weighted layers in a row that both start from a zero kernel, the first with an
  activation that keeps 0 at 0 (ReLU, tanh, linear) and zero biases: the first layer's
  output is 0 and the second's kernel is 0, so both kernels (and everything below) get an
  exactly zero gradient at the first step and at every step after it.

A one-unit softmax under binary cross-entropy is left alone: Keras's binary cross-entropy
takes the logits a softmax caches on its output, so the layer below still gets
the gradient of a sigmoid cross-entropy and trains; only the predictions stay at 1.

The layer stacks read are `Sequential([...])` lists, successive `model.add(...)` calls and
functional chains (`x = Dense(8)(x)`), in one function or module body.
"""
from __future__ import annotations

import ast

from gradtrace.lint.analysis import Diagnostic, dotted

SOFTMAX = ("softmax", "Softmax")
BINARY_CROSSENTROPY = {"binary_crossentropy", "BinaryCrossentropy", "bce",
                       "binary_focal_crossentropy", "BinaryFocalCrossentropy"}
# activations with f(0) == 0: a layer with zero weights and biases puts out 0
KEEPS_ZERO = {"linear", "relu", "tanh", "elu", "selu", "gelu", "swish", "silu", "relu6",
              "leaky_relu", "softsign", "mish", "hard_swish", "hard_silu"}
ZERO_INITIALIZERS = {"zeros", "zero", "Zeros", "zeros_initializer"}
KERNEL_LAYERS = ("Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
                 "Conv3DTranspose")
# layers between two others that keep an all-zero signal at zero and own no weights
PASS_ZERO = {"Dropout", "Flatten", "Reshape", "SpatialDropout1D", "SpatialDropout2D",
             "GaussianDropout", "AlphaDropout", "Permute", "RepeatVector"}


def check_layer_stacks(nodes: list, out: list[Diagnostic]) -> None:
    calls, assigns = [], []
    for node in nodes:  # (one pass: this runs on every module)
        kind = type(node)
        if kind is ast.Call:
            calls.append(node)
        elif kind is ast.Assign and type(node.value) is ast.Call:
            assigns.append(node)
    zero_names = _zero_initializer_names(assigns)
    found: list[Diagnostic] = []
    _check_layer_stacks(nodes, calls, zero_names, found)
    if any(d.variant == "single_unit_softmax" for d in found) and \
            _uses_binary_crossentropy(nodes):
        found = [d for d in found if d.variant != "single_unit_softmax"]
    out.extend(found)


def _check_layer_stacks(nodes: list, calls: list, zero_names: set,
                        out: list[Diagnostic]) -> None:
    stacks_matter = False  # a zero kernel or a softmax layer: only then read the stacks
    for node in calls:
        if not node.keywords and _layer(node) not in ("Activation", "Softmax"):
            continue
        if _is_one_unit_softmax(node):
            out.append(_single_unit_softmax(node, node))
        stacks_matter = stacks_matter or _zero_kernel(node, zero_names) or \
            _is_softmax_layer(node)
    if not stacks_matter:
        return
    for scope in [n for n in nodes if isinstance(n, (ast.Module, ast.FunctionDef,
                                                      ast.AsyncFunctionDef))]:
        for stack in _stacks(scope):
            _check_stack(stack, zero_names, out)


def _check_stack(stack: list[ast.Call], zero_names: set, out: list[Diagnostic]) -> None:
    for below, above in zip(stack, stack[1:]):
        if _units(below) == 1 and _layer(below) == "Dense" and _activation(below) is None \
                and _is_softmax_layer(above):
            out.append(_single_unit_softmax(below, above))
    covered = set()  # layers of a zero run already reported at its first layer
    for index, first in enumerate(stack):
        if not _starts_at_zero(first, zero_names):
            continue
        for later in stack[index + 1:]:
            if _layer(later) in PASS_ZERO or (_layer(later) == "Activation" and (
                    _activation(later) or "linear") in KEEPS_ZERO):
                continue
            if _layer(later) in KERNEL_LAYERS and _zero_kernel(later, zero_names):
                if id(first) not in covered:
                    out.append(_stacked_zero_layers(first, later))
                covered.add(id(later))
            break


def _uses_binary_crossentropy(nodes: list) -> bool:
    for node in nodes:
        if isinstance(node, ast.Constant) and node.value in BINARY_CROSSENTROPY:
            return True
        if isinstance(node, (ast.Name, ast.Attribute)) and \
                dotted(node).rsplit(".", 1)[-1] in BINARY_CROSSENTROPY:
            return True
    return False


def _single_unit_softmax(layer: ast.Call, softmax: ast.Call) -> Diagnostic:
    where = "its softmax" if layer is softmax else f"the softmax at line {softmax.lineno}"
    return Diagnostic(
        "GT115", layer.lineno, layer.col_offset, "",
        f"This layer has one unit and {where} normalises over that one unit: its output is "
        "1 for every input, so no gradient flows back through it: its weights, and every "
        "layer that only feeds it, get a zero gradient. Use `activation=\"sigmoid\"` for one unit (or a linear unit for a value), "
        "or one softmax unit per class.", variant="single_unit_softmax")


def _stacked_zero_layers(first: ast.Call, second: ast.Call) -> Diagnostic:
    return Diagnostic(
        "GT115", first.lineno, first.col_offset, "",
        f"This `{_layer(first)}` and the `{_layer(second)}` at line {second.lineno} both start "
        "from a zero kernel: this layer puts out 0, and the next one's kernel is 0, so both "
        "kernels, this layer's bias and every layer below get an exactly zero gradient, at "
        "every step. Start the kernels from random values (the default Glorot initializer); "
        "biases may start at zero.", variant="symmetric_start")


def _stacks(scope) -> list[list[ast.Call]]:
    """The layer stacks built in one body: Sequential lists, `.add` runs, functional chains."""
    stacks, added = [], {}
    applied: dict[str, ast.Call] = {}  # name -> the layer whose output it holds
    chains: dict[int, list[ast.Call]] = {}
    for statement in sorted(_own_statements(scope), key=lambda s: (s.lineno, s.col_offset)):
        value = getattr(statement, "value", None)
        if isinstance(value, ast.Call) and dotted(value.func).endswith("Sequential") \
                and value.args and isinstance(value.args[0], (ast.List, ast.Tuple)):
            stacks.append([e for e in value.args[0].elts if isinstance(e, ast.Call)])
        if isinstance(statement, ast.Expr) and isinstance(value, ast.Call) and isinstance(
                value.func, ast.Attribute) and value.func.attr == "add" and len(
                value.args) == 1 and isinstance(value.args[0], ast.Call):
            added.setdefault(dotted(value.func.value), []).append(value.args[0])
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(
                statement.targets[0], ast.Name):
            layer = _applied_layer(value)
            if layer is None:
                applied.pop(statement.targets[0].id, None)
                continue
            source = value.args[0] if value.args else None
            below = applied.get(source.id) if isinstance(source, ast.Name) else None
            chain = chains.pop(id(below), [below]) if below is not None else []
            chain = chain + [layer]
            chains[id(layer)] = chain
            applied[statement.targets[0].id] = layer
    stacks.extend(added.values())
    stacks.extend(c for c in chains.values() if len(c) > 1)
    return stacks


def _applied_layer(value) -> ast.Call | None:
    """`Dense(8)(x)`: the layer call, when a layer is made and applied to one input."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Call) and len(
            value.args) == 1 and dotted(value.func.func).rsplit(".", 1)[-1][:1].isupper():
        return value.func
    return None


def _own_statements(scope):
    stack = list(scope.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            stack.extend(getattr(node, field, []) or [])


def _layer(call: ast.Call) -> str:
    return dotted(call.func).rsplit(".", 1)[-1]


def _keyword(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def _units(call: ast.Call):
    value = call.args[0] if call.args else _keyword(call, "units")
    return value.value if isinstance(value, ast.Constant) else None


def _name_of(node) -> str | None:
    """'relu' for "relu", `tf.nn.relu`, `keras.activations.relu`; None when not written."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return dotted(node.func if isinstance(node, ast.Call) else node).rsplit(".", 1)[-1] or "?"


def _activation(call: ast.Call) -> str | None:
    if _layer(call) == "Activation":
        return _name_of(call.args[0] if call.args else _keyword(call, "activation"))
    return _name_of(_keyword(call, "activation"))


def _is_softmax_layer(call: ast.Call) -> bool:
    return _layer(call) == "Softmax" or (_layer(call) == "Activation"
                                         and _activation(call) in SOFTMAX)


def _is_one_unit_softmax(call: ast.Call) -> bool:
    return _layer(call) == "Dense" and _units(call) == 1 and _activation(call) in SOFTMAX


def _zero_initializer_names(assigns: list) -> set[str]:
    """Names bound to a zero initializer (`zero_init = keras.initializers.Zeros()`)."""
    return {t.id for n in assigns if _is_zero(n.value, set())
            for t in n.targets if type(t) is ast.Name}


def _is_zero(node, zero_names: set) -> bool:
    if isinstance(node, ast.Name) and node.id in zero_names:
        return True
    if isinstance(node, ast.Call) and _name_of(node) == "Constant":
        value = node.args[0] if node.args else _keyword(node, "value")
        return isinstance(value, ast.Constant) and value.value == 0
    return _name_of(node) in ZERO_INITIALIZERS


def _zero_kernel(call: ast.Call, zero_names: set) -> bool:
    return _is_zero(_keyword(call, "kernel_initializer"), zero_names)


def _starts_at_zero(call: ast.Call, zero_names: set) -> bool:
    """A layer whose output is 0 at the start: zero kernel, zero (or no) bias, f(0) = 0."""
    if _layer(call) not in KERNEL_LAYERS or not _zero_kernel(call, zero_names):
        return False
    bias = _keyword(call, "bias_initializer")
    use_bias = _keyword(call, "use_bias")
    no_bias = isinstance(use_bias, ast.Constant) and use_bias.value is False
    return (no_bias or bias is None or _is_zero(bias, zero_names)) and (
        _activation(call) or "linear") in KEEPS_ZERO
