"""A loss that reads variables while the gradient was asked for none of them: frozen,
held by a Lambda, raw tf.Variables Keras does not track, or tensors computed before the
tape."""
from __future__ import annotations

import ast

from gradtrace import frames
from gradtrace.analyze import source_trace
from gradtrace.analyze.call import GradientCall, merge_findings
from gradtrace.findings import Finding, Location
from gradtrace.record.events import READ_OPS, VariableInfo, responsible_freeze


def lambda_held_finding(recorder, keys: list) -> Finding | None:
    """Variables of layers that a Lambda layer's function calls: the model the Lambda is
    in does not track them, so they never train."""
    keys = sorted((k for k in keys if k in recorder.lambda_held), key=str)
    if not keys:
        return None
    recorder.qualify_legacy_names(None)  # the same names before fit and in its step
    outer, applied_at = recorder.lambda_held[keys[0]]
    infos = [recorder.variables.get(k) for k in keys]
    names = list(dict.fromkeys(i.name for i in infos if i is not None))
    return Finding(
        cause="untracked_variable", variables=names, location=applied_at,
        message=f"The function of the Lambda layer `{getattr(outer, 'name', 'lambda')}` "
        f"applied here calls layers with {len(names)} trainable variables: a Lambda layer "
        "tracks no layer or variable its function uses, so the model it is in leaves them "
        "out of its trainable variables and they never get a gradient.",
        variant="used_in_lambda")


def nothing_requested(call: GradientCall) -> list[Finding]:
    """tape.gradient(loss, []) while the loss reads variables: they were all frozen (or
    never tracked, which `untracked_variables` tells apart)."""
    untracked = untracked_variables(call, any_raw=True)
    if untracked:
        return untracked
    held = lambda_held_finding(call.recorder, list(call.ancestry.reads))
    if held is not None:
        return [held]
    in_creation_order = sorted((k for k in call.ancestry.reads if isinstance(k, int)))
    infos = [call.recorder.variables[key] for key in in_creation_order
             if key in call.recorder.variables]
    if not infos:
        return []
    frozen = responsible_freeze(infos)
    names = list(dict.fromkeys(i.name for i in infos))
    if frozen is not None:
        location, layer = frozen
        message = (f"`{layer}.trainable = False` here froze every variable the loss uses "
                   f"({len(names)}), so the gradient was asked for an empty list.")
    else:
        before = _read_before_tape(call, in_creation_order)
        if before is not None:
            return [Finding(
                cause="unwatched_tensor", variables=names,
                location=call.tape_info.opened_at or call.location,
                message=f"The gradient was asked for an empty list of variables. The loss uses "
                f"{len(names)} variables only through tensors computed from them before this "
                f"tape opened (line {before.line}), which it never watched: such tensors put "
                "in place of a layer's weights (`layer.kernel = tensor`) also drop the "
                "weights from `trainable_variables`. Watch those tensors (`tape.watch(t)`) and "
                "ask for their gradients, or compute with the variables inside the tape.")]
        made_in_call = next((i.created_at for i in infos if i.created_at is not None
                             and i.created_at.function == "call"), None)
        if made_in_call is not None:
            return [Finding(
                cause="untracked_variable", variables=names, location=made_in_call,
                variant="made_in_step",
                message=f"The loss uses {len(names)} variables, made here inside a layer's "
                "`call`: a layer (or weight) created in `call` is made again at each call "
                "and is not tracked as the model's, so the model has nothing to train and "
                "the gradient was asked for an empty list. Create the layer in `__init__` "
                "(`self.dense = Dense(units)`) and only call it in `call`.")]
        held = _module_holding_keras_layers(call) or _collected_before_build(call, names)
        if held is not None:
            return [held]
        location = call.location
        message = (f"The gradient was asked for an empty list of variables, while the loss "
                   f"uses {len(names)}: nothing is trainable.")
    return [Finding(cause="frozen_model", variables=names, location=location or call.location,
                    message=message)]


def _made_before(node, start_key) -> bool:
    """An eager op that ran before the tape opened (eager keys grow with time)."""
    return bool(node.outputs) and all(isinstance(k, int) and 0 <= k <= start_key
                                      for k in node.outputs)


def _read_before_tape(call: GradientCall, handles: list) -> Location | None:
    """Where the loss's variables were read, when every read ran while no tape recorded."""
    reads = [r for h in handles for r in call.ancestry.reads.get(h, []) if r.op_type in READ_OPS]
    start = call.tape_info.start_key
    if not reads or not all(r.recording is False or _made_before(r, start) for r in reads):
        return None
    latest = max((r for r in reads if r.location is not None), key=lambda r: r.outputs[0],
                 default=None)
    return latest.location if latest is not None else None


def untracked_variables(call: GradientCall, any_raw: bool = False) -> list[Finding]:
    """Variables the loss reads that Keras does not know about, so no one asks for them:
    raw tf.Variables held by a Keras 3 layer or created in the training step (or, when
    nothing at all was requested, any raw tf.Variable of the user's)."""
    requested = {s.key for s in call.sources}
    anc = call.ancestry
    findings = []
    for key, reads in sorted(anc.reads.items(), key=lambda item: str(item[0]).zfill(12)):
        info = call.recorder.variables.get(key)
        if key in requested or info is None or not info.trainable or not info.raw_in_user_code:
            continue
        if not any(r.recording is not False for r in reads) or key not in call.gradient_reads:
            continue  # read outside the tape, or only to decide a comparison (a probability)
        if not (any_raw or info.owner_is_keras3_layer or _created_in_step(call, key, info)):
            continue
        where = f"in {info.owner}" if info.owner else "inside the training step"
        made = info.created_at
        findings.append(Finding(
            cause="untracked_variable", variables=[info.name], location=made,
            message=f"`{info.name}` is a raw tf.Variable created {where}: the loss uses it, "
            "but it is not among the trainable variables, so it never gets a gradient.",
            group=("untracked_variable", info.owner, made.file, made.function) if made else (),
        ))
    return merge_findings(findings)  # a layer's raw variables (a list of them) are one mistake


def _created_in_step(call: GradientCall, key, info: VariableInfo) -> bool:
    """Created after the tape opened, or (a tf.function's first call lifts its variables
    out of the graph) by the very function that asks for the gradient."""
    if isinstance(key, int) and key > call.tape_info.start_key:
        return True
    made, asked = info.created_at, call.location
    return bool(made and asked and made.file == asked.file and made.function == asked.function
                and made.function != "<module>")


def _module_holding_keras_layers(call: GradientCall) -> Finding | None:
    """`tape.gradient(loss, net.trainable_variables)` where `net` is a plain `tf.Module`
    holding Keras 3 layers: Keras 3 layers and variables are not tf.Modules or
    tf.Variables, so the module's variable collection finds none of them."""
    tf = call.recorder.tf
    frame, asked = _sources_written(call)
    owner_name, _, attribute = (asked or "").rpartition(".")
    if attribute not in ("trainable_variables", "variables", "trainable_weights") or \
            not owner_name.isidentifier():
        return None
    owner = frames.value_named(frame, owner_name)
    if not isinstance(owner, tf.Module) or _is_keras_layer(owner):
        return None
    held = [(name, [v for v in (value.trainable_weights if _is_keras_layer(value) else [value])
                    if getattr(v, "trainable", True)])
            for name, value in _held_values(owner)
            if _is_keras_layer(value) or _is_keras_variable(value)]
    held = [(name, weights) for name, weights in held if weights]
    names = list(dict.fromkeys(getattr(v, "path", v.name) for _, weights in held for v in weights))
    if not names:
        return None
    shown = ", ".join(f"`self.{name}`" for name, _ in held[:3])
    return Finding(
        cause="untracked_variable", variables=names,
        location=source_trace.class_line(type(owner)) or call.location,
        variant="keras_in_module",
        message=f"`{owner_name}` (class `{type(owner).__name__}`) is a `tf.Module` holding Keras "
        f"layers or variables ({shown}{', ...' if len(held) > 3 else ''}): Keras 3 layers and "
        "variables are not tf.Modules or tf.Variables, so "
        f"`{owner_name}.{attribute}` finds none of their {len(names)} variables and the "
        "gradient is asked for an empty list. Subclass `keras.Model` (or "
        f"`keras.layers.Layer`) instead of `tf.Module` here (the gradient is asked at line "
        f"{call.location.line}).")


def _collected_before_build(call: GradientCall, names: list) -> Finding | None:
    """`params = model.trainable_variables` taken before the model was built: Keras makes
    a model's variables at its first call, so the list taken then is empty, and stays so
    while the model's own list fills."""
    frame, asked = _sources_written(call)
    bound = source_trace.assignment_of(frame, call.location.line, asked) if asked else None
    if bound is None:
        return None
    line, value = bound
    owner_name = ast.unparse(value.value) \
        if isinstance(value, ast.Attribute) else ""
    if not (isinstance(value, ast.Attribute) and value.attr in
            ("trainable_variables", "trainable_weights", "variables", "weights")
            and owner_name.isidentifier()):
        return None
    owner = frames.value_named(frame, owner_name)
    if not getattr(owner, value.attr, None):
        return None  # empty now too: not a matter of when it was taken
    return Finding(
        cause="wrong_sources", variables=names,
        location=Location(call.location.file, line, call.location.function),
        variant="collected_before_build",
        message=f"`{asked}` was taken from `{owner_name}.{value.attr}` here, before "
        f"`{owner_name}` was built: a Keras model makes its variables at its first call (or "
        f"`build`), so the list taken then is empty, and the gradient at line "
        f"{call.location.line} is asked for nothing ({owner_name} has "
        f"{len(getattr(owner, value.attr))} variables now). Read "
        f"`{owner_name}.{value.attr}` after the model is built (in the step), or build it "
        "before taking the list (`keras.Input`, or `model.build(input_shape)`).")


def _sources_written(call: GradientCall):
    """The user's frame that asked for the gradient, and its sources as written there."""
    frame = frames.user_frame(call.frame)
    asked = source_trace.sources_expression(frame, call.location.line) \
        if frame is not None and call.location is not None else None
    return frame, asked


def _is_keras_layer(value) -> bool:
    return any(k.__name__ == "Layer" and k.__module__.startswith("keras")
               for k in type(value).__mro__)


def _is_keras_variable(value) -> bool:
    return any(k.__name__ == "Variable" and k.__module__.startswith("keras")
               for k in type(value).__mro__)


def _held_values(owner):
    """The module's attributes, and what lists, tuples and dicts among them hold."""
    for name, value in vars(owner).items():
        if not name.startswith("_"):  # (tf.Module's own tracking)
            yield from _contents(name, value, depth=3)


def _contents(name: str, value, depth: int):
    if isinstance(value, (list, tuple)) and depth:
        for i, item in enumerate(value):
            yield from _contents(f"{name}[{i}]", item, depth - 1)
    elif isinstance(value, dict) and depth:
        for key, item in value.items():
            yield from _contents(f"{name}[{key!r}]", item, depth - 1)
    else:
        yield name, value
