"""Explain exceptions whose root is a missing gradient but that no gradient call saw.

Inside `tf.function` and `model.fit`, a NumPy conversion of a symbolic tensor
fails while tracing, before any gradient is asked for: "Cannot convert a
symbolic tf.Tensor to a NumPy array" or "'SymbolicTensor' object has no
attribute 'numpy'". The traceback still holds the tensor and the user's line.
"""
from __future__ import annotations

import linecache
import re

from gradtrace import frames
from gradtrace.analyze import source_trace
from gradtrace.analyze.dataflow import GraphFlow, ancestry
from gradtrace.findings import Finding, Location

_SYMBOLIC_MARKERS = (
    "Cannot convert a symbolic tf.Tensor",
    "Cannot convert a symbolic Tensor",
    "SymbolicTensor' object has no attribute",
    "Tensor' object has no attribute 'numpy'",
    "numpy() is only available when eager execution is enabled",
    "Cannot get value inside Tensorflow graph function",  # tf-keras get_weights/get_value
)


def explain_exception(recorder, exc: BaseException) -> list[Finding]:
    for candidate in _chain(exc):
        text = str(candidate)
        if any(marker in text for marker in _SYMBOLIC_MARKERS):
            return [_symbolic_conversion(recorder, candidate, exc)]
        if "forgot to call `super().__init__()`" in text or \
                "must call `super().__init__()`" in text:
            return [_missing_super_init(candidate)]
        if "only supports singleton tf.Variables" in text:
            return [_variable_made_in_step(recorder, candidate)]
        if "must accept keyword argument 'variables'" in text or \
                "must accept a keyword argument 'variables'" in text:
            return [_custom_gradient_without_variables(candidate, text)]
        if "cannot add new elements of state" in text:
            return [_state_added_in_call(candidate)]
        if "A KerasTensor cannot be used as input to a TensorFlow function" in text and \
                _in_frames(candidate, ("train_step", "train_on_batch", "fit")):
            found = _symbolic_read_in_training(candidate)
            if found is not None:
                return [found]
        if "symbolic input/output, to a TF API" in text:
            found = _captured_symbolic(candidate)
            if found is not None:
                return [found]
        if "were created within a Lambda layer" in text:
            return [_made_in_lambda(recorder, candidate, text)]
        if "not tf.Tensor or tf.Variable" in text:
            found = _unwatchable(candidate)
            if found is not None:
                return [found]
        if "`tape` is required when a `Tensor` loss is passed" in text or (
                "non-persistent GradientTape can only be used to compute one set" in text
                and _in_frames(candidate, ("minimize", "compute_gradients"))):
            return [_tensor_loss_without_tape(candidate)]
        if "has `None` for gradient" in text:
            found = _empty_loss(recorder, candidate)
            if found is not None:
                return [found]
    return []


def _empty_loss(recorder, exc: BaseException) -> Finding | None:
    """tf-keras' `optimizer.get_gradients(loss, params)` given an empty loss, as
    `model.losses` is for a model without regularizers or add_loss()."""
    for frame in frames.traceback_frames(exc.__traceback__):
        if frame.f_code.co_name != "get_gradients" or "loss" not in frame.f_locals:
            continue
        loss, params = frame.f_locals.get("loss"), frame.f_locals.get("params") or []
        if not (isinstance(loss, (list, tuple)) and not loss):
            return None
        names = [getattr(p, "name", str(p)).removesuffix(":0") for p in params]
        return Finding(
            cause="disconnected", variables=names, location=frames.exception_location(exc),
            message="The loss given to get_gradients() is an empty list, so no variable is "
            "connected to it. `model.losses` holds only the losses added by regularizers and "
            "add_loss(), and this model has none: pass the loss tensor you train on.")
    return None


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _symbolic_conversion(recorder, exc: BaseException, outer: BaseException) -> Finding:
    tensors = _symbolic_tensors_in(exc)
    variables: list[str] = []
    if recorder is not None and recorder.tf is not None and tensors:
        flow = GraphFlow(recorder)
        anc = ancestry(flow, [flow.key(t) for t in tensors])
        for handle in anc.reads:
            info = recorder.variables.get(handle)
            if info is not None and info.trainable and info.name not in variables:
                variables.append(info.name)
    location = frames.exception_location(exc) or frames.exception_location(outer)
    what = _converted_name(tensors, variables, location)
    return Finding(
        cause="numpy_conversion", variables=variables, location=location,
        message=f"{what} was converted to NumPy while TensorFlow traced the step "
        "(tf.function or model.fit): traced code has no values to convert, and even in eager "
        "code the conversion would cut the gradient.",
    )


def _converted_name(tensors: list, variables: list[str], location) -> str:
    """The converted tensor in the user's words: the variable it reads, the expression
    written before `.numpy()`, or TensorFlow's name for it as the last resort."""
    if tensors and getattr(getattr(tensors[0], "op", None), "type", "") == "ReadVariableOp" \
            and len(variables) == 1:
        return f"the value of `{variables[0]}`"
    line = linecache.getline(location.file, location.line) if location is not None else ""
    written = re.search(r"([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\.numpy\(\)", line)
    if written:
        return f"`{written.group(1)}`"
    return f"`{tensors[0].name}`" if tensors else "a symbolic tensor"


def _symbolic_tensors_in(exc: BaseException) -> list:
    """The symbolic tensor being converted (`self` of __array__/__getattr__), else the
    symbolic tensors held by the user's failing frame."""
    tb_frames = frames.traceback_frames(exc.__traceback__)
    for frame in reversed(tb_frames):
        if frame.f_code.co_name in ("__array__", "__getattr__", "__float__", "__int__", "numpy"):
            value = frame.f_locals.get("self")
            if _is_symbolic(value):
                return [value]
    for frame in reversed(tb_frames):
        if frames.is_user_file(frame.f_code.co_filename) or "__autograph_generated" in \
                frame.f_code.co_filename:
            found = [v for v in frame.f_locals.values() if _is_symbolic(v)]
            if found:
                return found
    return []


def _is_symbolic(value) -> bool:
    return type(value).__name__ == "SymbolicTensor" or (
        hasattr(value, "op") and hasattr(value, "graph") and type(value).__name__ != "EagerTensor"
        and not hasattr(value, "assign"))


def _missing_super_init(exc: BaseException) -> Finding:
    """Keras refuses to track a layer or variable set on an object whose `__init__` never
    called `super().__init__()`: point at that `__init__`."""
    tb_frames = frames.traceback_frames(exc.__traceback__)
    init = next((f.f_code for f in reversed(tb_frames)
                 if f.f_code.co_name == "__init__" and frames.is_user_file(f.f_code.co_filename)),
                None)
    owner = None
    if init is None:  # Keras 3 checks at the layer's first call: find the layer's class
        owner = next((f.f_locals["self"] for f in reversed(tb_frames)
                      if _user_init(f.f_locals.get("self")) is not None), None)
        init = _user_init(owner)
    name = type(owner).__name__ if owner is not None else (init.co_qualname.split(".")[0]
                                                           if init is not None else "the class")
    location = (Location(init.co_filename, init.co_firstlineno, "__init__")
                if init is not None else frames.exception_location(exc))
    owner = name
    return Finding(
        cause="missing_super_init", location=location,
        message=f"`{owner}.__init__` does not call `super().__init__()` before it sets its "
        "layers and variables, so Keras cannot track them and fails before any gradient "
        "exists.")


def _user_init(obj):
    """The code of the `__init__` an object's class defines in the user's files."""
    if obj is None:
        return None
    for cls in type(obj).__mro__:
        code = getattr(cls.__dict__.get("__init__"), "__code__", None)
        if code is not None and frames.is_user_file(code.co_filename):
            return code
    return None


def _variable_made_in_step(recorder, exc: BaseException) -> Finding:
    """tf.function traced the step again and it made new variables: a layer or a
    tf.Variable created inside the step (or inside `call`)."""
    made = [info for info in (recorder.variables.values() if recorder else ())
            if info.created_at is not None]
    raised_at = frames.exception_location(exc)
    # The variable that raised was never made: the user lines on the way to its creation
    # say where. Constructors and `build` make variables by design; the innermost line
    # outside them is the one that constructs a layer per call. The variables made at the
    # innermost line on the first trace are the ones made again.
    in_call = [i for i in made if i.trainable and i.created_at.function == "call"
               and source_trace.makes_state(i.created_at)]
    if in_call:  # `self.add_weight` or a layer made in a layer's `call`
        here = in_call[-1].created_at
        return Finding(
            cause="untracked_variable", location=here, variant="made_in_step",
            variables=list(dict.fromkeys(i.name for i in in_call
                                         if i.created_at.function == here.function)),
            message="This line in a layer's `call` creates variables each time the layer "
            "runs: tf.function allows variables only on its first call, and variables made "
            "per call would never be trained. Create them once, in `build()` or "
            "`__init__`, and only use them in `call`.")
    same = [info for info in made if info.created_at == raised_at]
    last = same[-1] if same else (made[-1] if made else None)
    location = raised_at if same or not made or _deeper_than_caller(exc) else last.created_at
    location = _outside_constructors(exc) or location
    names = list(dict.fromkeys(i.name for i in made if last and i.created_at == last.created_at))
    here = [i for i in made if location is not None and i.trainable
            and i.created_at.file == location.file and i.created_at.function == location.function]
    names = list(dict.fromkeys(i.name for i in here)) or names  # a layer's weights, not its seed state
    return Finding(
        cause="untracked_variable", variables=names, location=location,
        message="This line creates variables each time the tf.function runs (a layer or a "
        "tf.Variable made inside the step or inside `call`): tf.function allows variables "
        "only on its first call, and variables made per call would never be trained.",
        variant="made_in_step")


def _custom_gradient_without_variables(exc: BaseException, text: str) -> Finding:
    """A @tf.custom_gradient function reads variables and its grad_fn has no
    `variables` argument: no gradient is defined for those variables."""
    grad_fn = None
    for frame in frames.traceback_frames(exc.__traceback__):
        if frame.f_code.co_name in ("_eager_mode_decorator", "_graph_mode_decorator"):
            grad_fn = frame.f_locals.get("grad_fn")
    while hasattr(grad_fn, "__wrapped__"):
        grad_fn = grad_fn.__wrapped__
    code = getattr(grad_fn, "__code__", None)
    location = Location(code.co_filename, code.co_firstlineno, code.co_name) \
        if code is not None and frames.is_user_file(code.co_filename) else \
        frames.exception_location(exc)
    names = list(dict.fromkeys(_VARIABLE_IN_TEXT.findall(text)))
    listed = ", ".join(f"`{n}`" for n in names) or "variables"
    return Finding(
        cause="custom_gradient_none", variables=names, location=location,
        message=f"The @tf.custom_gradient function reads {listed}, and its gradient function "
        f"`{getattr(grad_fn, '__name__', 'grad')}` has no `variables` argument, so it defines "
        "no gradient for them: TensorFlow stops here. Declare `def grad(dy, variables=None):` "
        "and return `(input_gradients, [one gradient per variable])`.",
        variant="variables_argument")


def _state_added_in_call(exc: BaseException) -> Finding:
    """Keras 3 refuses `add_weight` (or a new sublayer) in a built layer's `call`."""
    lines = frames.user_frames_of(exc)
    here = lines[-1] if lines else None
    owner = next((f.f_locals.get("self") for f in reversed(frames.traceback_frames(
        exc.__traceback__)) if here and f.f_code.co_filename == here.file
        and f.f_code.co_name == here.function), None)
    name = getattr(owner, "name", None)
    return Finding(
        cause="untracked_variable", variables=[name] if isinstance(name, str) else [],
        location=here, variant="made_in_step",
        message="This line adds a weight (or a layer) while the layer runs: Keras 3 allows "
        "new state only in `__init__()` or `build()`, since a weight made at each call "
        "would be a new one each time and would never be trained. Create it once, in "
        "`build()`, and only use it in `call`.")


_VARIABLE_IN_TEXT = re.compile(r"<tf\.Variable '([^']+?)(?::\d+)?'")


def _made_in_lambda(recorder, exc: BaseException, text: str) -> Finding:
    """tf-keras refuses variables created inside a Lambda layer's function."""
    names = list(dict.fromkeys(_VARIABLE_IN_TEXT.findall(text)))
    infos = [i for i in (recorder.variables.values() if recorder else ()) if i.name in names]
    made = next((i.created_at for i in infos if i.created_at is not None), None)
    return Finding(
        cause="untracked_variable", variables=names,
        location=made or frames.exception_location(exc),
        message="The function of a Lambda layer creates these variables (here): a Lambda "
        "layer tracks no layer or variable its function makes or uses, so they would never "
        "be trained; tf-keras refuses them.", variant="used_in_lambda")


def _outside_constructors(exc: BaseException) -> Location | None:
    """The innermost user line outside the layer code that made the variables: under
    tf-keras a layer made in `call` builds its weights in its own first `call`."""
    user = frames.user_frames_of(exc)
    for depth, location in enumerate(reversed(user)):
        if location.function in ("__init__", "build"):
            continue
        if location.function != "call" or source_trace.constructs_object(location):
            return location if depth else None
    return None


def _deeper_than_caller(exc: BaseException) -> bool:
    """The exception passed through more than one user frame: raised inside the user's
    own functions (a `call`, a helper), not only under the line that started training."""
    user = [f for f in frames.traceback_frames(exc.__traceback__)
            if frames.is_user_file(f.f_code.co_filename)]
    return len(user) > 1


def _in_frames(exc: BaseException, names: tuple[str, ...]) -> bool:
    return any(f.f_code.co_name in names for f in frames.traceback_frames(exc.__traceback__))


def _unwatchable(exc: BaseException) -> Finding | None:
    """tape.watch() given something that is not a tensor of this run: a functional model's
    symbolic inputs (`model.inputs`), or a Keras 3 Variable."""
    watch = next((f for f in frames.traceback_frames(exc.__traceback__)
                  if f.f_code.co_name == "watch" and "tensor" in f.f_locals), None)
    if watch is None:
        return None
    values = _flatten(watch.f_locals["tensor"])
    kinds = {type(v).__name__ for v in values}
    location = frames.exception_location(exc)
    names = [v.path for v in values if isinstance(getattr(v, "path", None), str)]
    if "KerasTensor" in kinds:
        message = ("tape.watch() was given a KerasTensor: `model.inputs` (or a layer's "
                   "`.output`) is the functional model's symbolic placeholder, not the tensor "
                   "this call computes with. Convert the batch you feed the model with "
                   "`tf.convert_to_tensor`, watch that tensor, and ask for the gradient with "
                   "respect to it.")
        fed = _fed_tensor(exc, location)
        if fed is not None:
            names = [fed[0]]
            message += (f" Here that is `{fed[0]}`, fed to the model at line {fed[1]}: "
                        f"`tape.watch({fed[0]})` before that call, and "
                        f"`tape.gradient(loss, {fed[0]})`.")
    elif "Variable" in kinds:
        message = ("tape.watch() was given a Keras 3 Variable, which is not a tf.Variable: "
                   "watch its backing variable, `variable.value`, or open the tape with the "
                   "default watch_accessed_variables=True.")
    else:
        return None
    return Finding(cause="unwatched_tensor", location=location, message=message,
                   variables=names)


def _fed_tensor(exc: BaseException, location) -> tuple[str, int] | None:
    user = next((f for f in reversed(frames.traceback_frames(exc.__traceback__))
                 if frames.is_user_file(f.f_code.co_filename)), None)
    if user is None or location is None:
        return None
    return source_trace.tensor_fed_to_model(user, location.line)


def _flatten(value):
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _flatten(item)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _flatten(item)]
    return [value]


def _tensor_loss_without_tape(exc: BaseException) -> Finding:
    """`optimizer.minimize(loss_tensor, ...)` / `compute_gradients(loss_tensor, ...)`: TF1
    code where the loss was computed before, with no tape recording it."""
    optimizer = next((f for f in frames.traceback_frames(exc.__traceback__)
                      if f.f_code.co_name in ("minimize", "compute_gradients")), None)
    asked = optimizer.f_locals.get("var_list") if optimizer is not None else None
    names = [_variable_name(v) for v in _flatten(asked)] if asked is not None else []
    return Finding(
        cause="outside_tape", location=frames.exception_location(exc), variables=names,
        message="The loss given to the optimizer is a tensor computed earlier, while no tape "
        "recorded (a new GradientTape passed here has recorded nothing either): in TF2 the "
        "optimizer cannot trace back how it was computed. Pass a callable that computes the "
        "loss (`minimize(lambda: compute_loss(x), var_list)`), or compute it inside `with "
        "tf.GradientTape() as tape:` and call `tape.gradient`.")


def _captured_symbolic(exc: BaseException) -> Finding | None:
    """tf-keras refuses a functional model's symbolic tensor (a KerasTensor) fed to a TF
    API while the model trains: a loss function or a layer read one from the module, a
    forward pass that ran once, when the model was built. The traceback stops in Keras,
    after the user's function returned; the code itself says which one reads it (the
    linter's reading), and the script's globals hold the tensors it names."""
    from gradtrace.lint.checker import lint_source

    for frame in frames.traceback_frames(exc.__traceback__):
        path = frame.f_code.co_filename
        if frame.f_code.co_name != "<module>" or not frames.is_user_file(path):
            continue
        try:
            with open(path, encoding="utf-8") as source:
                text = source.read()
        except OSError:
            continue
        for diagnostic in lint_source(text, path):
            if diagnostic.variant == "captured_symbolic":
                tensors = [frame.f_globals.get(name) for name in diagnostic.names]
                if not any(t is not None for t in tensors):  # captured from a function
                    tensors = _keras_tensors_in(exc)
                return Finding(
                    cause="outside_tape", variant="captured_symbolic",
                    variables=_weights_upstream(tensors),
                    location=Location(path, diagnostic.line, diagnostic.function),
                    message=diagnostic.message + " TensorFlow's error names the tensor the "
                    "loss computed from it.")
    return None


def _symbolic_read_in_training(exc: BaseException) -> Finding | None:
    """Keras 3, while the model trains: a loss or a metric computed with a functional
    model's KerasTensor, which it read from outside (a global, a closure, `self.mu`). The
    user's frame raising it holds the tensors, free variables included."""
    user = [f for f in frames.traceback_frames(exc.__traceback__)
            if frames.is_user_file(f.f_code.co_filename)]
    if not user:
        return None
    frame = user[-1]
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
    found = {}
    # the function's captured names (free variables, globals it reads), the line's first
    code = frame.f_code
    captured = set(code.co_freevars) | set(code.co_names)
    for name, value in list(frame.f_locals.items()) + list(frame.f_globals.items()):
        if type(value).__name__ == "KerasTensor" and name in captured and (
                re.search(rf"\b{re.escape(name)}\b", line) or name not in found):
            found.setdefault(name, value)
    owner = frame.f_locals.get("self")
    for name, value in list(getattr(owner, "__dict__", {}).items()):
        if type(value).__name__ == "KerasTensor" and f"self.{name}" in line:
            found.setdefault(f"self.{name}", value)
    if not found:
        return None
    shown = ", ".join(f"`{n}`" for n in found)
    return Finding(
        cause="outside_tape", variant="captured_symbolic",
        variables=_weights_upstream(list(found.values())),
        location=Location(frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name),
        message=f"{shown}: symbolic tensors of the functional model, made when the model was "
        f"built, read here by `{frame.f_code.co_name}`, which runs when the model trains: "
        "they hold no batch's values and are not part of the step's forward pass, so Keras "
        "refuses them.")


def _keras_tensors_in(exc: BaseException) -> list:
    """The KerasTensor TensorFlow refused (`self` of its `__array__`)."""
    for frame in reversed(frames.traceback_frames(exc.__traceback__)):
        value = frame.f_locals.get("self")
        if type(value).__name__ == "KerasTensor":
            return [value]
    return []


def _weights_upstream(tensors: list) -> list[str]:
    """The trainable weights of the layers a tf-keras KerasTensor was computed by."""
    names, seen, pending = [], set(), [t for t in tensors if t is not None]
    while pending:
        tensor = pending.pop()
        history = getattr(tensor, "_keras_history", None)
        layer = getattr(history, "layer", None) or getattr(history, "operation", None)
        if layer is None or id(tensor) in seen:
            continue
        seen.add(id(tensor))
        # the weights' own flag: `layer.trainable = False` (a GAN's alternation) hides
        # them from trainable_weights at this moment
        for weight in getattr(layer, "weights", []):
            if getattr(weight, "trainable", False) and _variable_name(weight) not in names:
                names.append(_variable_name(weight))
        nodes = getattr(layer, "_inbound_nodes", [])
        node_index = getattr(history, "node_index", None)
        if node_index is None and isinstance(history, tuple) and len(history) > 1:
            node_index = history[1]  # Keras 3: (operation, node_index, tensor_index)
        if isinstance(node_index, int) and node_index < len(nodes):
            node = nodes[node_index]
            pending.extend(getattr(node, "keras_inputs", None)
                           or getattr(node, "input_tensors", None) or [])
    return names


def _variable_name(variable) -> str:
    name = getattr(variable, "path", None) or getattr(variable, "name", None) or str(variable)
    return name[:-2] if name.endswith(":0") else name
