"""Keras patches: `predict` inside a tape, where `compile` chose the loss, what `fit`
did, and where the user's code froze a layer (`trainable = False`)."""
from __future__ import annotations

import warnings
import weakref

import sys

from gradtrace import frames
from gradtrace.analyze import source_trace
from gradtrace.findings import Finding, Location
from gradtrace.record.events import PredictCall, responsible_freeze
from gradtrace.record.never_called import check_never_called
from gradtrace.record.recorder import handle_keys


def install_keras3(recorder, patcher) -> None:
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
    from keras.src.layers.layer import Layer
    from keras.src.trainers.trainer import Trainer

    import keras

    from keras.src.backend.tensorflow import core

    from keras.src.ops.operation import Operation

    _patch_trainable(recorder, patcher, Layer)
    _patch_layer_call(recorder, patcher, Layer)
    _patch_traced_call(recorder, patcher, Operation)
    _patch_predict(recorder, patcher, TensorFlowTrainer)
    _patch_compile(recorder, patcher, Trainer)
    _patch_fit(recorder, patcher, TensorFlowTrainer, keras.losses)
    _patch_name_scope(recorder, patcher, core.name_scope)
    _patch_variable_declaration(recorder, patcher, core.Variable)
    _patch_add_loss(recorder, patcher, Layer)


def install_tf_keras(recorder, patcher) -> None:
    from tf_keras.src.engine.base_layer import Layer
    from tf_keras.src.engine.training import Model

    import tf_keras

    _patch_trainable(recorder, patcher, Layer)
    _patch_layer_call(recorder, patcher, Layer)
    _patch_predict(recorder, patcher, Model)
    _patch_compile(recorder, patcher, Model)
    _patch_fit(recorder, patcher, Model, tf_keras.losses)
    _patch_set_weights(recorder, patcher, Layer)
    _patch_add_loss(recorder, patcher, Layer)


def _patch_set_weights(recorder, patcher, cls) -> None:
    """tf-keras' `set_weights` copies each new value through NumPy (read in C) before
    assigning it: tensors given to it leave TensorFlow there, and so do variables (a
    layer made with `weights=[self.w, self.b]` copies them when it is built)."""
    def make(original):
        def set_weights(layer, weights):
            if recorder._open_tapes:
                for value in weights if isinstance(weights, (list, tuple)) else ():
                    if type(value).__name__ == "EagerTensor":
                        recorder._guard(recorder._on_conversion, value, "set_weights()")
                    elif hasattr(value, "assign") and getattr(value, "trainable", False):
                        recorder._guard(recorder.on_variable_copied, value, "set_weights()")
            return original(layer, weights)
        return set_weights

    patcher.wrap(cls, "set_weights", make)


def _patch_trainable(recorder, patcher, cls) -> None:
    """Remember where the user's code set `layer.trainable = False`, for every variable
    the layer holds: the place to show when nothing is left to train."""
    prop = cls.__dict__.get("trainable")
    if not isinstance(prop, property) or prop.fset is None:
        return

    nesting = recorder._tls

    def setter(layer, value):
        depth = getattr(nesting, "trainable_depth", 0)
        nesting.trainable_depth = depth + 1
        try:
            prop.fset(layer, value)
        finally:
            nesting.trainable_depth = depth
        if depth == 0:  # not Keras passing the flag on to sublayers
            recorder._guard(_note_trainable, recorder, layer, value, sys._getframe(1))

    patcher.replace(cls, "trainable", property(prop.fget, setter, prop.fdel, prop.__doc__))


def _note_trainable(recorder, layer, value, caller) -> None:
    location = frames.user_location(caller)  # above Keras' own __setattr__
    if location is None:
        return
    name = source_trace.attribute_owner(location, "trainable") or \
        getattr(layer, "name", type(layer).__name__)
    # A layer frozen before it is built has no variables yet: remember the layer itself.
    recorder.layer_freezes[id(layer)] = (location, name) if not value else None
    for variable in _built_variables(layer):
        info = recorder.variable_info(variable)
        if info is not None:
            if value and info.frozen_at:
                info.frozen_before = info.frozen_at
            info.frozen_at = (location, name) if not value else None
            info.unfrozen_at = (location, name) if value else None


def _built_variables(layer) -> list:
    """The layer's variables, none while it is unbuilt (tf-keras' Sequential raises
    ValueError from `variables` before its first call)."""
    try:
        return list(getattr(layer, "variables", None) or getattr(layer, "weights", []))
    except ValueError:
        return []


def _patch_layer_call(recorder, patcher, cls) -> None:
    """While ops are logged, remember the user's line that called the outermost layer or
    model: a forward pass run outside the tape is fixed there, not inside `call`; and the
    line that called each layer in turn (`layer_sites`), for code that layers share. While a
    step is traced, also which layer each graph op belongs to (`_patch_traced_call`)."""
    tls = recorder._tls

    def wrap(original):
        def __call__(layer, *args, **kwargs):
            recorder.stand_down_if_due()
            probe = getattr(tls, "layer_outputs", None)
            if probe is not None:  # gradtrace's own forward pass (`_gradients`)
                output = original(layer, *args, **kwargs)
                probe.append((layer, output))
                return output
            if not recorder._callback_on:
                return original(layer, *args, **kwargs)
            outermost = getattr(tls, "model_call_site", None) is None
            site = frames.caller_location(1)
            if outermost:
                tls.model_call_site = site
                if recorder._open_tapes:
                    recorder._guard(recorder.note_trained_model, layer)
            outer_sites = getattr(tls, "layer_sites", ())
            tls.layer_sites = outer_sites + (site,)
            if site is not None and site not in recorder.layer_at_site and \
                    len(recorder.layer_at_site) < 5_000:
                recorder._guard(_note_layer_at_site, recorder, site, layer)
            if layer not in recorder.operation_sites:
                recorder._guard(_note_connection_site, recorder, layer, args)
            operations = tls.__dict__.setdefault("operations", [])
            operations.append(layer)
            try:
                return original(layer, *args, **kwargs)
            finally:
                operations.pop()
                tls.layer_sites = outer_sites
                recorder._guard(_note_lambda_use, recorder, layer, operations)
                if outermost:
                    tls.model_call_site = None
        return __call__

    patcher.wrap(cls, "__call__", wrap)


def _note_layer_at_site(recorder, site, layer) -> None:
    """The layer that the user's line `site` applies (eagerly, or while tracing)."""
    recorder.layer_at_site[site] = weakref.ref(layer)


def _note_lambda_use(recorder, layer, operations) -> None:
    """A layer called inside a Lambda layer's function: its weights are used by the model
    but tracked by no layer of it."""
    outer = next((op for op in reversed(operations) if type(op).__name__ == "Lambda"), None)
    if outer is None or type(layer).__name__ == "Lambda":
        return
    for variable in getattr(layer, "trainable_weights", ()):
        for key in handle_keys(variable):
            recorder.lambda_held.setdefault(key, (outer, recorder.operation_sites.get(outer)))


def _patch_add_loss(recorder, patcher, cls) -> None:
    """Remember the tensors given to `add_loss`, and where: a custom loss that does not
    add `self.losses` leaves the variables that only feed them without a gradient."""
    def wrap(original):
        def add_loss(layer, losses, *args, **kwargs):
            if recorder._callback_on:
                recorder._guard(_note_added_loss, recorder, losses)
            return original(layer, losses, *args, **kwargs)
        return add_loss

    patcher.wrap(cls, "add_loss", wrap)


def _note_added_loss(recorder, losses) -> None:
    tf = recorder.tf
    location = frames.caller_location(3)
    for value in tf.nest.flatten(losses):
        if tf.is_tensor(value) and type(value).__name__ != "KerasTensor":
            kept = value if hasattr(value, "graph") and not hasattr(value, "_numpy") else value._id
            recorder.added_losses = recorder.added_losses[-31:] + [(kept, location)]


def _patch_variable_declaration(recorder, patcher, cls) -> None:
    """Keras 3 declares a variable in `build` and may create the tf.Variable behind it
    only later, inside fit's trace: keep the declaring line for it."""
    def wrap(original):
        def __init__(variable, *args, **kwargs):
            original(variable, *args, **kwargs)
            if recorder._callback_on and getattr(variable, "_value", None) is None:
                recorder._guard(_note_declaration, recorder, variable)
        return __init__

    patcher.wrap(cls, "__init__", wrap)


def _note_declaration(recorder, variable) -> None:
    location = frames.caller_location(3)
    if location is not None:
        recorder.declared_at[id(variable)] = location


def _patch_traced_call(recorder, patcher, cls) -> None:
    """Keras 3 operations that are not layers (`keras.ops.argmax` on a KerasTensor) are
    replayed by a functional model inside fit: the graph ops they make are theirs. They
    are applied to KerasTensors through `symbolic_call`."""
    _patch_layer_call(recorder, patcher, cls)

    def wrap(original):
        def symbolic_call(operation, *args, **kwargs):
            if recorder._callback_on and operation not in recorder.operation_sites:
                recorder._guard(_note_connection_site, recorder, operation, args)
            return original(operation, *args, **kwargs)
        return symbolic_call

    if "symbolic_call" in cls.__dict__:
        patcher.wrap(cls, "symbolic_call", wrap)


def _note_connection_site(recorder, operation, args) -> None:
    """The user's line that first applied a Keras layer or operation to symbolic inputs
    (`Dense(8)(h)`, `K.argmax(x)` on a KerasTensor, `model.add(layer)`): a functional
    model replays it inside `fit`, where the ops it makes have no line of the user's own.
    (Constructors are left alone: Keras reads their signatures for configs.)"""
    first = args[0] if args else None
    if isinstance(first, (list, tuple)) and first:
        first = first[0]
    if type(first).__name__ == "KerasTensor":
        recorder.operation_sites[operation] = frames.caller_location(3)


def _patch_name_scope(recorder, patcher, cls) -> None:
    """A traced graph makes Keras 3's layer scopes unique (`model_1/dense_1`): remember
    which layer path each one stands for, so that graph ops are shown by layer name."""
    import tensorflow as tf
    from keras.src.backend.common.name_scope import current_path

    def wrap(original):
        def __enter__(scope):
            entered = original(scope)
            if scope._pop_on_exit and not tf.executing_eagerly():
                recorder._guard(_note_scope, recorder, tf, current_path)
            return entered
        return __enter__

    patcher.wrap(cls, "__enter__", wrap)


def _note_scope(recorder, tf, current_path) -> None:
    recorder.graph_scopes[tf.get_current_name_scope()] = current_path()


def _patch_predict(recorder, patcher, cls) -> None:
    for name in ("predict", "predict_on_batch"):
        if name in cls.__dict__:
            patcher.wrap(cls, name, lambda original: _predict_wrapper(recorder, original))


def _predict_wrapper(recorder, original):
    def predict(model, *args, **kwargs):
        if not recorder.recording_active() or getattr(recorder._tls, "predict", None):
            return original(model, *args, **kwargs)
        model_was_built = bool(getattr(model, "built", True))
        call = recorder._guard(_predict_call, recorder, model, args[:1] or [kwargs.get("x")])
        for info in recorder.current_tape_infos():
            if call is not None:
                info.predicts.append(call)
        recorder._tls.predict = call
        try:
            with recorder.quiet():
                outputs = original(model, *args, **kwargs)
        except LookupError as exc:
            # tf-keras: predict() under a recording tape fails to build the gradient of
            # its input pipeline ("No gradient defined for operation 'IteratorGetNext'").
            if call is not None and "No gradient defined" in str(exc):
                recorder._guard(_predict_failed, recorder, model, call, sys._getframe(1))
            raise
        finally:
            recorder._tls.predict = None
        if call is not None and not model_was_built:
            # predict() was the model's first call: its variables exist only now.
            call.handles = recorder._guard(_model_handles, recorder, model) or call.handles
        return outputs
    return predict


def _predict_call(recorder, model, inputs) -> PredictCall:
    tf = recorder.tf
    input_keys = tuple(t._id for t in tf.nest.flatten(inputs) if hasattr(t, "_id"))
    return PredictCall(getattr(model, "name", type(model).__name__),
                       _model_handles(recorder, model), frames.caller_location(3), input_keys)


def _model_handles(recorder, model) -> frozenset:
    handles = set()
    for variable in model.variables:
        recorder.variable_info(variable)
        for component in getattr(variable, "values", None) or (variable,):
            handle = getattr(component, "handle", None)
            if hasattr(handle, "_id"):
                handles.add(handle._id)
    return frozenset(handles)


def _predict_failed(recorder, model, call: PredictCall, frame) -> None:
    from gradtrace.analyze.dataflow import GraphFlow, ancestry

    recorder.qualify_legacy_names(frames.user_frame(frame))
    # The variables whose values went into predict() (a generator's, in a GAN step) lose
    # their gradient first; the predicting model's own variables too.
    fed = ancestry(GraphFlow(recorder), call.input_keys).reads if call.input_keys else {}
    in_creation_order = sorted((k for k in fed if isinstance(k, int)))
    names = [recorder.variables[key].name for key in in_creation_order
             if key in recorder.variables and recorder.variables[key].trainable]
    names += [n for n in (recorder.variable_info(v).name for v in model.trainable_variables)
              if n not in names]
    # The tensors given to predict(), by the caller's names: an input the step watches
    # and differentiates (a saliency map, an input-gradient penalty) loses its gradient here.
    user = frames.user_frame(frame)
    fed_names = [name for name, value in (user.f_locals.items() if user is not None else ())
                 if not name.startswith("_") and getattr(value, "_id", None) in call.input_keys
                 and not hasattr(value, "assign")]
    names = fed_names + [n for n in names if n not in fed_names]
    recorder.add_finding(Finding(
        cause="predict_in_tape", variables=names, location=call.location,
        message=f"{call.model_name}.predict() ran inside a recording tape: it is a separate "
        "prediction loop that returns NumPy values, so the tape cannot connect its results to "
        "the variables that computed its input or to the model's own (tf-keras even fails "
        "trying to differentiate its input pipeline).",
    ))


def _patch_compile(recorder, patcher, cls) -> None:
    if "compile" not in cls.__dict__:
        return

    def make(original):
        def compile(model, *args, **kwargs):
            location = frames.caller_location(1)
            if location is not None:
                recorder.compile_sites[id(model)] = location
            return original(model, *args, **kwargs)
        return compile

    patcher.wrap(cls, "compile", make)



def _patch_fit(recorder, patcher, cls, losses_module) -> None:
    if "fit" not in cls.__dict__:
        return

    def make(original):
        def fit(model, *args, **kwargs):
            recorder._guard(_check_before_training, recorder, model, "fit", sys._getframe(1))
            before = recorder._guard(_trainable_snapshot, model)
            frozen = recorder._guard(_frozen_ids, model)
            traced_before = recorder.traced_count
            in_lambda = recorder._guard(_variables_in_lambda, recorder, model)
            history = original(model, *args, **kwargs)
            if in_lambda:
                recorder._guard(_check_lambda_variables_unchanged, recorder, model, in_lambda)
            recorder._guard(_check_unfrozen_during_fit, recorder, model, frozen)
            recorder._guard(_raw_variables_finding, recorder, model, "fit")
            recorder._guard(_overwritten_weights_finding, recorder, model, "fit")
            if before:
                recorder._guard(_check_fit_finite, recorder, model, before, history,
                                recorder.traced_count - traced_before)
            recorder._guard(_note_trained, recorder, model)
            recorder._guard(check_never_called, recorder, model, "model.fit()")
            if before:
                recorder._guard(_check_fit_learned, recorder, model, before, history, args,
                                kwargs, losses_module)
            else:  # built by fit itself: what the weights were is not known
                recorder._guard(_check_fit_loss_constant, recorder, model, history)
            return history
        return fit

    patcher.wrap(cls, "fit", make)
    if "train_on_batch" in cls.__dict__:
        patcher.wrap(cls, "train_on_batch",
                     lambda original: _train_on_batch(recorder, original, losses_module))


def _train_on_batch(recorder, original, losses_module):
    def train_on_batch(model, *args, **kwargs):
        recorder._guard(_check_before_training, recorder, model, "train_on_batch",
                        sys._getframe(1))
        recorder._guard(_before_batch_step, recorder, model, args, kwargs)
        result = original(model, *args, **kwargs)
        recorder._guard(_note_trained, recorder, model)
        recorder._guard(_after_batch_step, recorder, model, args, kwargs, losses_module)
        return result
    return train_on_batch


def outputs_without_loss(model) -> list[str]:
    """The model's outputs that `compile(loss=...)` gave no loss (a dict without their
    name, a list with None in their place): Keras trains nothing that feeds only them."""
    loss = getattr(model, "loss", None)
    names = [n for n in (getattr(model, "output_names", None) or []) if isinstance(n, str)]
    if isinstance(loss, dict) and loss:
        return [n for n in names if loss.get(n) is None]
    if isinstance(loss, (list, tuple)) and len(loss) == len(names):
        return [n for n, fn in zip(names, loss) if fn is None]
    return []


def _layers_feeding_only(model, outputs: list[str]) -> frozenset:
    """Names of a functional model's layers upstream of the outputs named and of no other
    output (the 1x1 convolution and the normalisation before a mask head)."""
    names = [n for n in (getattr(model, "output_names", None) or [])]
    tensors = list(getattr(model, "outputs", None) or [])
    if len(names) != len(tensors):
        return frozenset()
    left_out = _upstream_layers([t for n, t in zip(names, tensors) if n in outputs])
    kept = _upstream_layers([t for n, t in zip(names, tensors) if n not in outputs])
    return frozenset(name for name in left_out if name not in kept)


def _upstream_layers(tensors: list) -> set[str]:
    """The names of the layers a functional model runs to make `tensors`."""
    found: set[str] = set()
    stack, seen = list(tensors), set()
    while stack and len(seen) < 100_000:
        tensor = stack.pop()
        history = getattr(tensor, "_keras_history", None)
        if history is None or id(tensor) in seen:
            continue
        seen.add(id(tensor))
        layer, node_index = history[0], history[1]
        found.add(getattr(layer, "name", ""))
        nodes = getattr(layer, "_inbound_nodes", None) or []
        node = nodes[node_index] if node_index < len(nodes) else None
        inputs = getattr(node, "input_tensors", None)
        if inputs is None:
            inputs = getattr(node, "keras_inputs", None)
        if inputs is not None:  # (a symbolic tensor has no truth value in tf-keras)
            stack.extend(inputs if isinstance(inputs, (list, tuple)) else [inputs])
    return found


def _is_tf_keras(model) -> bool:
    return any(c.__module__.startswith("tf_keras") for c in type(model).__mro__)


def _raw_variables_finding(recorder, model, how: str) -> None:
    """A Keras 3 model with nothing to train whose layers hold plain tf.Variables as
    attributes: Keras 3 does not track them, so `fit` trains nothing."""
    if _is_tf_keras(model) or model.trainable_variables:
        return  # tf-keras tracks them; (after fit, the model is built)
    variable_type = recorder.tf.Variable
    found = []
    for layer in [model] + _all_layers(model):
        for attribute, value in list(vars(layer).items()):
            values = value if isinstance(value, (list, tuple)) else [value]
            for item in values:
                if isinstance(item, variable_type) and not hasattr(item, "path") and \
                        getattr(item, "trainable", False):
                    found.append((f"{getattr(layer, 'name', '')}.{attribute}", item))
    if not found:
        return
    infos = [recorder.variable_info(v) for _, v in found]
    made = next((i.created_at for i in infos if i is not None and i.created_at), None)
    names = [name for name, _ in found]
    recorder.add_finding(Finding(
        cause="untracked_variable", variables=names, location=made, severity="warning",
        message=f"`{model.name}.{how}()` has no trainable variables: the model keeps its "
        f"weights as plain tf.Variable attributes ({', '.join(names)}), which Keras 3 does "
        "not track, so the optimizer is given none of them and they never change."))


def _overwritten_weights_finding(recorder, model, how: str) -> None:
    """tf-keras: a weight whose attribute `build` (or `__init__`) overwrote with a tensor
    computed from it. The layer stops tracking the weight, so training never asks for it,
    and `call` uses the tensor computed once."""
    if not _is_tf_keras(model):
        return  # Keras 3 keeps tracking it: the gradient call itself shows it unused
    from gradtrace.analyze.unused import overwritten_weight_message

    tf = recorder.tf
    for layer in [model] + _all_layers(model):
        for weight in source_trace.overwritten_weights(type(layer)):
            value = vars(layer).get(weight.attribute)
            if value is None or not tf.is_tensor(value) or isinstance(value, tf.Variable):
                continue
            tracked = any(v.name.split(":")[0].endswith(f"/{weight.weight_name}")
                          for v in layer.trainable_weights)
            if tracked:
                continue
            name = f"{layer.name}/{weight.weight_name}"
            recorder.add_finding(Finding(
                cause="outside_tape", variables=[name], location=weight.overwritten,
                severity="warning", variant="made_in_build",
                message=overwritten_weight_message(
                    name, weight, f"tf-keras stops tracking the weight and {how}() never "
                    "trains it")))
            return


def _untracked_lambda_keys(recorder, model) -> list:
    """Handles of variables that `model`'s Lambda layers use and `model` does not train."""
    if not recorder.lambda_held:
        return []
    lambdas = {id(layer) for layer in _all_layers(model) if type(layer).__name__ == "Lambda"}
    trained = {k for v in model.trainable_variables for k in handle_keys(v)}
    return [key for key, (outer, _) in recorder.lambda_held.items()
            if id(outer) in lambdas and key not in trained]


def _variables_in_lambda(recorder, model) -> list:
    """(Lambda layer, variable, value) for each trainable variable that a Lambda layer's
    function refers to (a global or a closure's) and the model does not train: a Lambda
    layer tracks no variable."""
    found = []
    for layer in _all_layers(model):
        if type(layer).__name__ != "Lambda":
            continue
        for v in _referred_values(getattr(layer, "function", None)):
            value = _value_of(v) if _is_trainable_variable(recorder, v) else None
            if value is not None:
                found.append((layer, v, value))
    return found


def _value_of(variable):
    """A variable's value, or None if it has none to read here (deleted, or a graph's)."""
    try:
        return variable.numpy() if handle_keys(variable) else None
    except Exception:  # noqa: BLE001 (any failure to read means: no value to compare)
        return None


def _check_lambda_variables_unchanged(recorder, model, in_lambda: list) -> None:
    """The Lambda's variables that fit left as they were (a schedule that a callback
    assigns is not a weight left out)."""
    import numpy as np

    trained = {k for v in model.trainable_variables for k in handle_keys(v)}
    unchanged = [(layer, v) for layer, v, before in in_lambda
                 if not trained.intersection(handle_keys(v))
                 and np.array_equal(before, _value_of(v), equal_nan=True)]
    if not unchanged:
        return
    layer = unchanged[0][0]
    found = [v for owner, v in unchanged if owner is layer]
    names = [getattr(v, "path", None) or v.name.split(":")[0] for v in found]
    info = recorder.variable_info(found[0])
    applied_at = recorder.operation_sites.get(layer) or (info.created_at if info else None)
    more = f" (and {len(names) - 1} more)" if len(names) > 1 else ""
    recorder.add_finding(Finding(
        cause="untracked_variable", variables=names, location=applied_at, severity="warning",
        message=f"The function of the Lambda layer `{layer.name}` applied here uses the "
        f"variable `{names[0]}`{more}: a Lambda layer tracks no variable its function uses, "
        "so the model leaves it out of its trainable variables and fit never changed it. "
        "Make it a weight of a custom layer (`self.add_weight` in a Layer subclass) instead.",
        variant="variable_in_lambda"))


def _referred_values(function) -> list:
    """The globals and closure values a function's code (nested lambdas included) names."""
    code = getattr(function, "__code__", None)
    if code is None:
        return []
    values = []
    names, stack = set(), [code]
    while stack:
        current = stack.pop()
        names.update(current.co_names)
        stack.extend(c for c in current.co_consts if hasattr(c, "co_names"))
    scope = getattr(function, "__globals__", {})
    values += [scope[n] for n in sorted(names) if n in scope]
    for cell in getattr(function, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:  # an empty cell
            pass
    return values


def _is_trainable_variable(recorder, value) -> bool:
    is_variable = isinstance(value, recorder.tf.Variable) or (
        hasattr(value, "path") and type(value).__name__ == "Variable")
    return is_variable and bool(getattr(value, "trainable", False))


def _all_layers(model) -> list:
    found, stack = [], list(getattr(model, "layers", []) or [])
    while stack:
        layer = stack.pop()
        found.append(layer)
        stack.extend(getattr(layer, "layers", []) or [])
    return found


def _check_before_training(recorder, model, how: str, caller) -> None:
    """Training asked of a model that cannot learn what it was asked to: every weight
    frozen, or weights unfrozen since its training function was made (no new compile)."""
    missing = outputs_without_loss(model)
    recorder.training = (missing, recorder.compile_sites.get(id(model)),
                         _layers_feeding_only(model, missing) if missing else frozenset())
    from gradtrace.analyze.nothing_requested import lambda_held_finding

    held = lambda_held_finding(recorder, _untracked_lambda_keys(recorder, model))
    if held is not None:
        recorder.add_finding(held)
        return
    if not getattr(model, "built", False) or not model.variables:
        return
    where = frames.user_location(caller)
    name = source_trace.method_owner(where, how) or getattr(model, "name", type(model).__name__)
    trainable = model.trainable_variables
    if not trainable:
        infos = [recorder.variable_info(v) for v in model.variables]
        frozen = responsible_freeze(infos) or _layer_freeze(recorder, model)
        held = next((i.unfrozen_at for i in infos
                     if i is not None and i.unfrozen_at and i.frozen_before), None)
        if held is not None and frozen is not None:
            advice = (f". The `{held[1]}.trainable = True` at line {held[0].line} does not undo "
                      f"it: a frozen model keeps every layer inside it frozen. Leave `{name}` "
                      "trainable and freeze only the layers that stay fixed.")
        elif _is_tf_keras(model):
            advice = (". tf-keras takes `trainable` as it was at `compile`: compile this model "
                      "while it is trainable, then freeze it for the combined model.")
        else:
            advice = (". Keras 3 reads `trainable` when the model trains, not when it was "
                      "compiled: set it back to True before this model's own training step.")
        recorder.add_finding(Finding(
            cause="frozen_model", severity="warning",
            variables=[i.name for i in infos if i is not None],
            location=frozen[0] if frozen else where,
            message=f"`{name}.{how}()`" + (f" at line {where.line}" if where and frozen else "")
            + f" trains nothing: every weight of `{name}` is frozen"
            + (f" (`{frozen[1]}.trainable = False` here)" if frozen else "") + advice,
            variant="held_by_container" if held is not None and frozen is not None else "",
        ))
        return
    if _held_by_frozen_container(recorder, model, how, where, trainable):
        return
    seen = recorder.trained_with.get(id(model))
    if seen is None or seen[0] is not getattr(model, "train_function", None):
        return
    new = [v for v in trainable if _variable_id(v) not in seen[1]]
    if not new:
        return
    infos = [recorder.variable_info(v) for v in new]
    unfrozen = next((i.unfrozen_at for i in infos if i is not None and i.unfrozen_at), None)
    recorder.add_finding(Finding(
        cause="frozen_model", severity="warning", variant="unfrozen_after_compile",
        variables=[i.name for i in infos if i is not None],
        location=unfrozen[0] if unfrozen else where,
        message=f"`{new[0].path if hasattr(new[0], 'path') else new[0].name}` was made "
        f"trainable after `{name}` last compiled its training step: `{name}.{how}()` still "
        "runs the step made when it was frozen, so these weights stay as they are.",
    ))


def _held_by_frozen_container(recorder, model, how: str, where, trainable) -> bool:
    """Layers set trainable again while the model that contains them stays frozen
    (`base.trainable = False`, then `layer.trainable = True` for its layers): their
    weights stay out of `trainable_variables`, so training leaves them as they are."""
    training = {_variable_id(v) for v in trainable}
    held = []
    for variable in model.variables:
        info = recorder.variable_info(variable)
        if info is not None and info.unfrozen_at and info.frozen_before and \
                getattr(variable, "trainable", True) and _variable_id(variable) not in training:
            held.append(info)
    if not held:
        return False
    unfrozen, frozen = held[0].unfrozen_at, held[0].frozen_before
    name = source_trace.method_owner(where, how) or getattr(model, "name", "model")
    recorder.add_finding(Finding(
        cause="frozen_model", severity="warning", variant="held_by_container",
        variables=[i.name for i in held], location=unfrozen[0],
        message=f"`{unfrozen[1]}.trainable = True` here does not make these weights "
        f"trainable: `{frozen[1]}.trainable = False` (line {frozen[0].line}) froze the model "
        f"that contains them, and a frozen model keeps every layer inside it frozen, so "
        f"`{name}.{how}()` leaves them as they are. Set `{frozen[1]}.trainable = True` (then "
        "freeze the layers that stay fixed), and compile again before training.",
    ))
    return True


def _layer_freeze(recorder, model) -> tuple | None:
    """The `trainable = False` set on the model, or on one of its layers, before they had
    variables."""
    layers = [model] + list(getattr(model, "layers", []) or [])
    return next((recorder.layer_freezes[id(l)] for l in layers
                 if recorder.layer_freezes.get(id(l))), None)


def _note_trained(recorder, model) -> None:
    recorder.trained_with[id(model)] = (
        getattr(model, "train_function", None),
        frozenset(_variable_id(v) for v in model.trainable_variables))


def _variable_id(variable) -> int:
    backing = getattr(variable, "_value", None)  # Keras 3: the tf.Variable behind it
    return id(variable if backing is None else backing)


def _trainable_snapshot(model):
    import numpy as np

    if not getattr(model, "built", False):
        return None
    return [np.array(v.numpy(), copy=True) for v in model.trainable_variables]


def _frozen_ids(model) -> set:
    if not getattr(model, "built", False):
        return set()
    training = {_variable_id(v) for v in model.trainable_variables}
    return {_variable_id(v) for v in model.variables} - training


def _check_unfrozen_during_fit(recorder, model, frozen: set) -> None:
    """Weights made trainable while fit() ran (a callback's `layer.trainable = True`): fit
    traced its step with the variables trainable when it began, and runs that step to
    the end, so they were not trained."""
    if not frozen or getattr(model, "run_eagerly", False):
        return  # (an eager step reads the trainable variables afresh each time)
    new = [v for v in model.trainable_variables if _variable_id(v) in frozen]
    infos = [i for i in (recorder.variable_info(v) for v in new) if i is not None]
    unfrozen = next((i.unfrozen_at for i in infos if i.unfrozen_at), None)
    if not infos or unfrozen is None:
        return
    location, layer = unfrozen
    recorder.add_finding(Finding(
        cause="frozen_model", severity="warning", variant="unfrozen_during_fit",
        variables=[i.name for i in infos], location=location,
        message=f"`{layer}.trainable = True` ran while `model.fit()` was training: fit "
        "traced its training step with the weights that were trainable when it began and "
        f"runs that step to the end, so the {len(infos)} weights unfrozen here were not "
        "trained by this fit."))


def _check_fit_finite(recorder, model, before, history, traced: int) -> None:
    """After fit(): weights that were finite and are now NaN or Inf, or a NaN loss. The
    cause is looked for on the routes of the step's traced gradient call."""
    import numpy as np

    from gradtrace.analyze.gradient_values import nonfinite_after_training

    variables = model.trainable_variables
    if len(variables) != len(before):
        return
    spoiled = [recorder.variable_info(v).name for v, b in zip(variables, before)
               if np.all(np.isfinite(b)) and not np.all(np.isfinite(v.numpy()))]
    losses = [float(v) for v in getattr(history, "history", {}).get("loss", [])]
    nan_epoch = next((i + 1 for i, v in enumerate(losses) if not np.isfinite(v)), None)
    if not spoiled and nan_epoch is None:
        return
    calls = recorder.traced_calls[-traced:] if traced else []
    what = (f"the loss was NaN or Inf from epoch {nan_epoch} of {len(losses)}" if nan_epoch
            else "the loss stayed finite")
    turned = (f"; {len(spoiled)} weights that were finite before fit now hold NaN or Inf"
              if spoiled else "")
    recorder.add_finding(nonfinite_after_training(
        calls, spoiled, f"model.fit() trained into NaN: {what}{turned}",
        recorder.compile_sites.get(id(model))))


def _check_fit_learned(recorder, model, before, history, args, kwargs, losses_module) -> None:
    """After fit(): did the loss respond to training at all? (`_check_learned`)"""
    losses = [float(v) for v in getattr(history, "history", {}).get("loss", [])]
    _check_learned(recorder, model, before, "model.fit()", losses, _first_batch(args, kwargs),
                   losses_module)


# train_on_batch calls after which a model's weights are compared with those before the
# first: enough for any optimizer to have moved a weight with a non-zero gradient.
BATCH_STEPS_CHECKED = 3


def _before_batch_step(recorder, model, args, kwargs) -> None:
    """The weights and the batch before the first train_on_batch call of a built model."""
    watched = recorder.batch_training.setdefault(id(model), {"steps": 0})
    if "before" not in watched:
        watched["before"] = _trainable_snapshot(model)
        watched["batch"] = _first_batch(args, kwargs)


def _after_batch_step(recorder, model, args, kwargs, losses_module) -> None:
    """After BATCH_STEPS_CHECKED train_on_batch calls, the weights are checked as after
    fit(), once (from after the first call when that call built the model)."""
    watched = recorder.batch_training.get(id(model))
    if watched is None or "before" not in watched:
        return
    if watched["before"] is None:
        watched["before"] = _trainable_snapshot(model)
        return
    watched["steps"] += 1
    if watched["steps"] == BATCH_STEPS_CHECKED:
        check_never_called(recorder, model, "model.train_on_batch()")
        _check_learned(recorder, model, watched.pop("before"), "model.train_on_batch()", [],
                       watched.pop("batch"), losses_module)


def _check_learned(recorder, model, before, how, losses, batch, losses_module) -> None:
    """After training steps: did the loss respond to training at all?

    Two kinds of evidence, both from what training did: the weights moved but every epoch's
    loss is bit-identical (the loss is constant in the weights); or no weight moved at all,
    and the compiled loss's gradient, recomputed on the first batch in inference mode (no
    random numbers drawn, no statistics updated), is exactly zero."""
    import numpy as np

    iterations = getattr(getattr(model, "optimizer", None), "iterations", None)
    steps = int(iterations.numpy()) if iterations is not None else 0
    variables = model.trainable_variables
    if steps == 0 or len(variables) != len(before):
        return
    moved = any(not np.array_equal(v.numpy(), b) for v, b in zip(variables, before))
    recorder.qualify_legacy_names(None)
    names = [recorder.variable_info(v).name for v in variables]
    constant_loss = len(losses) >= 2 and len(set(losses)) == 1
    ran = f"{how} ran {steps} steps"
    explained = {n for f in recorder.findings for n in f.variables}
    unmoved = [v for v, b in zip(variables, before) if np.array_equal(v.numpy(), b)
               and recorder.variable_info(v).name not in explained]  # (an unused part, say)
    zeros = _zero_started(recorder, model, unmoved)
    if zeros is not None:
        stuck = [recorder.variable_info(v).name for v in unmoved]
        recorder.add_finding(Finding(
            cause="zero_gradient", variables=stuck, location=zeros[1], severity="warning",
            variant="symmetric_start",
            message=f"{ran} and {_listed(stuck)} never changed: {_listed(zeros[0])} start "
            "as all zeros, one after the other on the way to the loss, and the gradient of "
            "each is a product with the others' values, zero, so none of them can ever move."))
        return
    if moved:
        if constant_loss:
            constant = _constant_layer_output(recorder, model, batch, losses_module)
            recorder.add_finding(Finding(
                cause="zero_gradient", variables=names,
                location=constant[1] if constant else recorder.compile_sites.get(id(model)),
                variant="constant_output" if constant else "",
                message=f"{ran}: the weights changed, but the loss was exactly {losses[0]!r} "
                f"in every one of {len(losses)} epochs. The loss does not depend on the "
                "weights, so its true gradient is zero and the updates follow no signal."
                + (constant[2] if constant else _zero_loss_hint(model))))
        return
    _explain_unmoved(recorder, model, names, ran, losses if constant_loss else [], batch,
                     losses_module)


def _explain_unmoved(recorder, model, names, ran, constant_losses, batch, losses_module):
    """No trainable variable moved: recompute the compiled loss's gradient on the first
    batch and say which layer, if any, puts out only zeros."""
    import numpy as np

    loss_fn = _compiled_loss_fn(model, losses_module)
    if batch is None or loss_fn is None:
        return
    layer_outputs: list = []
    grads = _gradients(recorder, model, loss_fn, *batch, layer_outputs=layer_outputs)
    if grads is None:
        return
    compiled_at = recorder.compile_sites.get(id(model))
    if any(g is None or np.any(g) for g in grads):
        if constant_losses:
            recorder.add_finding(Finding(  # zero in training mode only (BatchNorm, Dropout)
                cause="zero_gradient", variables=names, severity="warning",
                location=compiled_at,
                message=f"{ran}: no trainable variable changed and the loss was exactly "
                f"{constant_losses[0]!r} in every one of {len(constant_losses)} epochs, so "
                "every gradient was zero in training. (Recomputed in inference mode, without "
                "Dropout and with BatchNormalization's moving statistics, the gradients are "
                "not zero: look for a ReLU or other layer that puts out zeros for every "
                "input of a training batch.)"))
        return
    dead = _dead_layer(recorder, model, layer_outputs)
    if dead is not None:
        layer, applied_at = dead
        inner = getattr(layer, "layer", layer)  # TimeDistributed, Bidirectional...
        activation = getattr(getattr(layer, "activation", getattr(inner, "activation", None)),
                             "__name__", "")
        why = (f"its `{activation}` activation is 0 for every input" if activation == "relu"
               else "it puts out 0 for every input")
        where = ", applied here," if applied_at else ""
        recorder.add_finding(Finding(
            cause="zero_gradient", variables=names, severity="warning", variant="dead_layer",
            location=applied_at or compiled_at,
            message=f"{ran} and no trainable variable changed: every gradient is exactly "
            f"0.0. Recomputed on the first batch, the output of `{layer.name}`{where} is "
            f"exactly zero for the whole batch: {why}, so the loss cannot change with "
            "anything before it and no gradient flows back."))
        return
    blocking = _blocking_layer(recorder, model, layer_outputs)
    if blocking is not None:
        layer, applied_at = blocking
        where = ", applied here," if applied_at else ""
        recorder.add_finding(Finding(
            cause="zero_gradient", variables=names, severity="warning",
            variant="zero_backward", location=applied_at or compiled_at,
            message=f"{ran} and no trainable variable changed: every gradient is exactly "
            f"0.0. Recomputed on the first batch, the loss's gradient reaches the output of "
            f"`{layer.name}`{where} as non-zero, and what `{layer.name}` passes back to its "
            "input is exactly zero: an op in its computation has a zero gradient at these "
            "values, so nothing before it can learn."))
        return
    recorder.add_finding(Finding(
        cause="zero_gradient", variables=names, location=compiled_at,
        message=f"{ran} and no trainable variable changed; recomputed on the first batch, "
        "every gradient of the compiled loss is exactly 0.0." + _zero_loss_hint(model)))


def _check_fit_loss_constant(recorder, model, history) -> None:
    """After a fit() that built the model: an epoch loss that is bit-identical, and not
    zero, in every one of two or more epochs. Training moves a loss that depends on the
    weights; this one did not move by a single bit."""
    losses = [float(v) for v in getattr(history, "history", {}).get("loss", [])]
    if len(losses) < 2 or len(set(losses)) != 1 or losses[0] == 0.0:
        return
    names = [recorder.variable_info(v).name for v in model.trainable_variables]
    if not names:
        return
    recorder.add_finding(Finding(
        cause="zero_gradient", variables=names, severity="warning",
        location=recorder.compile_sites.get(id(model)),
        message=f"model.fit() ran {len(losses)} epochs and the loss was exactly {losses[0]!r} "
        "in every one: it does not respond to the weights, so every gradient was zero (a "
        "ReLU or other layer that puts out zeros for every input, a loss that is constant "
        "in the weights)." + _zero_loss_hint(model)))


def _zero_started(recorder, model, variables):
    """(names, where the first is written) when two or more weight matrices of the model
    hold only zeros: stacked, each one's gradient is multiplied by the others' zeros."""
    import numpy as np

    zero = [v for v in variables if len(v.shape) >= 2 and not np.any(v.numpy())]
    if len(zero) < 2:
        return None
    infos = [recorder.variable_info(v) for v in zero]
    made_at = next((i.created_at for i in infos if i is not None and i.created_at), None)
    return [i.name for i in infos if i is not None], _layer_written_at(model, zero[0], made_at)


def _layer_written_at(model, variable, made_at):
    """The line that writes the layer holding `variable` when the model built all its
    layers on one statement (`keras.Sequential([Input(...), Dense(...), ...])`)."""
    owner = next((layer for layer in _all_layers(model)
                  if any(w is variable for w in getattr(layer, "weights", []))), None)
    return _layer_line(model, owner, made_at)


def _layer_line(model, owner, made_at):
    """Where `owner`, a layer of `model` made or applied on `made_at`'s statement, is
    written in it: the line of its own constructor call."""
    layers = _all_layers(model)[::-1]  # in the order they were added
    if owner is None or made_at is None or owner not in layers:
        return made_at
    same_class = [layer for layer in layers if type(layer) is type(owner)]
    line = source_trace.constructor_line(made_at, type(owner).__name__, same_class.index(owner))
    return Location(made_at.file, line, made_at.function) if line else made_at


def _listed(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names[:4]] + ([f"{len(names) - 4} more"] if len(names) > 4 else [])
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else quoted[0]


def _first_batch(args, kwargs):
    x = kwargs.get("x", args[0] if args else None)
    y = kwargs.get("y", args[1] if len(args) > 1 else None)
    size = kwargs.get("batch_size") or 32
    if not (_is_array(x) and _is_array(y)):
        return None
    return x[:size], y[:size]


def _is_array(value) -> bool:
    return hasattr(value, "shape") and hasattr(value, "dtype") and hasattr(value, "__getitem__") \
        and not hasattr(value, "element_spec")


def _compiled_loss_fn(model, losses_module):
    loss = getattr(model, "loss", None)
    if isinstance(loss, (str,)) or callable(loss):
        try:
            return losses_module.get(loss)
        except Exception:  # noqa: BLE001
            return None
    return None


def _gradients(recorder, model, loss_fn, x, y, layer_outputs: list | None = None):
    """The compiled loss's gradients on one batch, in inference mode; each layer's output
    is appended to `layer_outputs` when given."""
    import tensorflow as tf

    tls = recorder._tls
    # our own recomputation: Keras's warnings about the user's model (a softmax over one
    # unit, a loss's shape) were shown when the user's code ran, and must not repeat here
    with recorder.quiet(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tls.layer_outputs = layer_outputs
        try:
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(loss_fn(tf.convert_to_tensor(y), model(x, training=False)))
        finally:
            tls.layer_outputs = None
        variables = list(model.trainable_variables)
        probed = [(i, o) for i, (_, o) in enumerate(layer_outputs or [])
                  if tf.is_tensor(o) and o.dtype.is_floating]
        grads = tape.gradient(loss, variables + [o for _, o in probed])
    values = [None if g is None else tf.convert_to_tensor(g).numpy() for g in grads]
    if layer_outputs:  # each probed layer output, with its gradient
        output_grads = dict(zip((i for i, _ in probed), values[len(variables):]))
        layer_outputs[:] = [(layer, output, output_grads.get(i))
                            for i, (layer, output) in enumerate(layer_outputs)]
    return values[:len(variables)]


def _dead_layer(recorder, model, layer_outputs: list):
    """The layer nearest the output whose output was exactly zero for the whole batch (a
    ReLU that no input turns on), and the line that applied it: after it, nothing can
    change the loss, and no gradient flows back through it."""
    import numpy as np

    for layer, values in _float_outputs_from_the_end(model, layer_outputs):
        if getattr(layer, "weights", None) is not None and values.size and not np.any(values):
            return layer, _layer_line(model, layer, recorder.operation_sites.get(layer))
    return None


def _float_outputs_from_the_end(model, layer_outputs: list):
    """(layer, its output as a float array) for each probed layer but the model itself,
    the one nearest the output first."""
    import numpy as np

    for layer, output, _ in reversed(layer_outputs):
        if layer is model:
            continue
        try:
            values = np.asarray(output)
        except Exception:  # noqa: BLE001  (a nested structure)
            continue
        if values.dtype.kind == "f":
            yield layer, values


def _constant_layer_output(recorder, model, batch, losses_module):
    """(layer, line that applied it, why) for the layer nearest the output whose output is
    one same value for every input of the first batch (a softmax over one unit is 1.0):
    nothing before it can change the loss."""
    import numpy as np

    loss_fn = _compiled_loss_fn(model, losses_module)
    if batch is None or loss_fn is None:
        return None
    layer_outputs: list = []
    if _gradients(recorder, model, loss_fn, *batch, layer_outputs=layer_outputs) is None:
        return None
    for layer, values in _float_outputs_from_the_end(model, layer_outputs):
        if values.size < 2 or not np.all(values == values.flat[0]):
            continue
        activation = getattr(getattr(layer, "activation", None), "__name__", "")
        width = values.shape[-1] if values.ndim else 0
        why = (" (a softmax over a single unit is always 1.0: use a sigmoid for one unit, "
               "or a softmax over one unit per class)" if activation == "softmax" and width == 1
               else "")
        applied_at = _layer_line(model, layer, recorder.operation_sites.get(layer))
        return layer, applied_at, (f" Recomputed on the first batch, the output of "
                                   f"`{layer.name}` is {float(values.flat[0])!r} for every "
                                   f"input{why}, so nothing before it can change the loss.")
    return None


def _blocking_layer(recorder, model, layer_outputs: list):
    """The layer nearest the output that receives a non-zero gradient at its output and
    passes back exactly zero to the layer before it (an SVD at repeated singular values,
    a `tf.sign` or rounding in its `call`), and the line that applied it."""
    import numpy as np

    probed = [(layer, g) for layer, _, g in layer_outputs
              if layer is not model and g is not None]
    for (before, upstream), (layer, downstream) in zip(probed[-2::-1], probed[:0:-1]):
        if np.any(downstream) and not np.any(upstream) and before is not layer:
            return layer, _layer_line(model, layer, recorder.operation_sites.get(layer))
    return None


def _zero_loss_hint(model) -> str:
    loss = getattr(model, "loss", None)
    name = loss if isinstance(loss, str) else getattr(loss, "__name__", type(loss).__name__)
    output = model.outputs[0] if getattr(model, "outputs", None) else None
    width = output.shape[-1] if output is not None else None
    if "categorical_crossentropy" in str(name).lower() and width == 1:
        return (f" The loss is {name} on a one-unit output: normalised over a single unit, "
                "every prediction is a probability of 1, so the loss is constant. Use binary "
                "cross-entropy for one sigmoid unit.")
    return ""
