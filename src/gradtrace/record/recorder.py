"""Record what the program did while gradient tapes were recording.

The Recorder installs reversible patches on TensorFlow and Keras:

- an op callback that logs eager ops (type, inputs, outputs, user location,
  whether a tape was recording) and, while a `tf.function` is traced, whether
  a tape was recording when each graph op was created;
- `GradientTape.__enter__`/`gradient`, to know each tape's call site and to
  analyze every gradient call whose result is missing something;
- variable creation, to know where each variable was made and by whom;
- conversions of eager tensors to NumPy/Python while a tape records;
- Keras `predict` / `compile`, and `@tf.custom_gradient` backward functions.

It adds no op to the user's graphs and changes no value: callbacks return
None, wrappers return what the wrapped call returned. Recording stops, per
tape call site, after a few healthy steps (graph code: after the trace).
"""
from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import sys
import threading
import weakref
from collections import OrderedDict
from typing import Any, Callable

from gradtrace import frames
from gradtrace.findings import Finding, Location
from gradtrace.record.events import (
    ASSIGN_OPS, DT_RESOURCE, FLAT_REGION_OPS, READ_OPS, SATURATING_OPS, SINGULAR_GRADIENT_OPS, Conversion,
    CustomGradientNone, OpNode, TapeInfo, VariableInfo, at_singular_point, in_flat_region, saturated,
)
from gradtrace.record.importhook import AfterImport
from gradtrace.record.patches import Patcher

EAGER_WARMUP_CALLS = 3  # healthy gradient calls per tape site before standing down
STAND_DOWN_AFTER_OPS = 20_000  # eager ops logged after the last site is done, at most
MAX_LOGGED_OPS = 200_000  # eager op log bound (oldest dropped first)


def _saturated(op_type, output) -> bool:
    try:
        return saturated(op_type, output._numpy())
    except Exception:  # noqa: BLE001  (a tensor on another device)
        return False


def _moved(before, after) -> bool:
    """Whether a variable changed by more than rounding: a millionth of its scale (a
    gradient of 1e-11 applied twenty times, the symmetry of a zero start, is not a move)."""
    import numpy as np

    if before.shape != after.shape:
        return True
    scale = max(float(np.max(np.abs(before), initial=0.0)), 1.0)
    return bool(np.max(np.abs(after - before), initial=0.0) > 1e-6 * scale)


def _finite_scalar(tensor) -> bool:
    """Whether an eager one-value float tensor is finite (anything else counts as finite:
    only a scalar loss is checked, at the cost of one value)."""
    try:
        if type(tensor).__name__ != "EagerTensor" or not tensor.dtype.is_floating or \
                tensor.shape.num_elements() != 1:
            return True
        import numpy as np

        return bool(np.all(np.isfinite(tensor._numpy())))
    except Exception:  # noqa: BLE001  (a tensor on another device)
        return True


def _in_flat_region(op_type, inputs) -> bool:
    try:
        return in_flat_region(op_type, [t._numpy() for t in inputs])
    except Exception:  # noqa: BLE001  (a tensor on another device, a complex dtype)
        return False


def _at_singular_point(op_type, inputs) -> bool | None:
    try:
        return at_singular_point(op_type, [t._numpy() for t in inputs])
    except Exception:  # noqa: BLE001  (a tensor on another device, a complex dtype)
        return None


# Calls of a traced training step after which variables that never changed mean that
# every gradient was zero: any optimizer moves a weight with a non-zero gradient at once.
STEP_CALLS_FOR_UNMOVED = 5


class Recorder:
    def __init__(self, on_internal_error: Callable[[BaseException], None] | None = None) -> None:
        self.findings: list[Finding] = []
        self._finding_keys: set = set()
        self.variables: dict[int, VariableInfo] = {}  # eager handle id -> info
        self._creating = threading.local()  # nesting of variable constructors
        self.compile_sites: dict[int, Location] = {}  # id(model) -> compile() call site
        # id(model) -> (its train function, ids of its trainable variables) after training
        self.trained_with: dict[int, tuple] = {}
        self.batch_training: dict[int, dict] = {}  # id(model) -> train_on_batch watch
        self.layer_freezes: dict[int, tuple | None] = {}  # id(layer) -> its `trainable = False`
        # the model fit/train_on_batch trains now: (outputs without a loss, compile line)
        self.training: tuple = ([], None, frozenset())
        self.producers: OrderedDict[Any, OpNode] = OrderedDict()  # eager output id -> op
        self.graph_recording: dict[Any, bool] = {}  # graph Operation -> tape was recording
        # tf.functions called under a tape: eager result key -> graph output tensor, and
        # argument Placeholder op -> the eager key it was given
        self.function_outputs: dict[int, Any] = {}
        self.function_arguments: dict[Any, int] = {}
        self.function_assigns: dict[int, Any] = {}  # pseudo key -> assign op in a called graph
        self.graph_scopes: dict[str, str] = {}  # a traced graph's name scope -> Keras path
        self.graph_op_sites: dict[Any, Location] = {}  # graph Operation -> where its layer was made
        # Keras layer or operation -> the user's line that first applied it to KerasTensors
        self.operation_sites: "weakref.WeakKeyDictionary[Any, Location]" = weakref.WeakKeyDictionary()
        # The user's line that applied each Keras layer (first layer per line): weak refs.
        self.layer_at_site: dict[Location, weakref.ref] = {}
        self.max_seen_key = 0
        self.internal_errors: list[BaseException] = []
        self._on_internal_error = on_internal_error
        self._patcher = Patcher()
        self._hook: AfterImport | None = None
        self._lock = threading.RLock()
        self._tls = threading.local()
        self._tapes: "weakref.WeakKeyDictionary[Any, TapeInfo]" = weakref.WeakKeyDictionary()
        self._open_tapes: list = []
        self._site_calls: dict[tuple, int] = {}
        self._done_sites: set[tuple] = set()
        self._last_assign: dict[int, Any] = {}
        self._pseudo_key = 0
        self._callback_on = False
        self._installed: set[str] = set()
        self.tf = None
        self.custom_gradient_outputs: set = set()  # eager outputs of @tf.custom_gradient
        self.custom_gradient_ops: "weakref.WeakSet" = weakref.WeakSet()  # ... and traced ones
        self.keep_gradients = False  # check(): keep each gradient call's per-variable status
        # The last gradient calls traced in a tf.function (fit's step): their values come
        # later, so a NaN that training produces is traced back through them.
        self._ops_until_stand_down: int | None = None
        self.traced_calls: list = []
        self._traced_weights: list = []  # (weak reference, name) of their finite variables
        # id(tf.function) of a user's traced training step -> what its returned loss did
        # (see _watch_step_loss): a loss that turns NaN after the first steps.
        self._step_losses: dict[int, dict] = {}
        # Zero-gradient findings of eager calls, with their variables' fingerprints then.
        self._zero_findings: list = []
        # Eager gradient calls that found nothing: (call, newest op key then), to look at
        # what the program adds to their targets afterwards (`check_terms_after_gradient`).
        self._answered_calls: list = []
        # After a site stood down, each call's scalar loss is still checked to be finite
        # (one value): a NaN that the data brings in later is traced to where it is made.
        self._late_nan_watch = True
        # (tape site, variable key) -> (calls in a row with a negligible gradient, the
        # constant weight after it): see gradient_values._stuck_by_symmetry.
        self.symmetry_evidence: dict = {}
        self.stall_evidence: dict = {}  # tape site -> (first largest gradient norm, last loss)
        # Variables of layers called inside a Lambda layer's function: handle key ->
        # (the Lambda, where it was applied). A Lambda tracks none of them.
        self.lambda_held: dict = {}
        # Keras 3 variables declared in `build` and created later (deferred): id -> the
        # user's line that declared them (`self.add_weight(...)`).
        self.declared_at: dict[int, Location] = {}
        # Tensors given to a Keras layer's `add_loss` (graph tensors, or eager ids), with
        # the user's line: a loss that leaves `model.losses` out drops them.
        self.added_losses: list = []
        self.never_called_checked: set = set()  # models checked for layers never called
        self.differentiated: list = []  # (target keys, location) of each gradient call
        # variable handle key -> where a tf.data function (Dataset.map...) read it
        self.dataset_reads: dict = {}
        self._trained_models: dict = {}  # id -> weak reference: models called under a tape
        self.traced_count = 0
        self.gradients: list[list] = []

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> "Recorder":
        self._hook = AfterImport({"tensorflow", "keras", "tf_keras"}, self._on_module_loaded)
        self._hook.install()
        for name in ("tensorflow", "keras", "tf_keras"):
            if name in sys.modules:
                self._on_module_loaded(name)
        return self

    def stop(self) -> None:
        if self._hook is not None:
            self._hook.remove()
            self._hook = None
        self._set_callback(False)
        self._patcher.undo_all()
        self._installed.clear()

    def __enter__(self) -> "Recorder":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _on_module_loaded(self, name: str) -> None:
        self._guard(self._install_for, name)

    def _install_for(self, name: str) -> None:
        if name in self._installed:
            return
        frames.refresh_library_roots()
        if name == "tensorflow":
            self._install_tensorflow()
        elif name == "keras" and "keras" in sys.modules:
            from gradtrace.record import keras_patches
            keras_patches.install_keras3(self, self._patcher)
        elif name == "tf_keras":
            from gradtrace.record import keras_patches
            keras_patches.install_tf_keras(self, self._patcher)
        self._installed.add(name)

    def _guard(self, fn: Callable, *args, **kwargs):
        """Never let a gradtrace bug break the user's program."""
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            self.internal_errors.append(exc)
            if self._on_internal_error:
                self._on_internal_error(exc)
            return None

    # --------------------------------------------------------------- TF patches
    def _install_tensorflow(self) -> None:
        import tensorflow as tf
        from tensorflow.python.eager import backprop, context, record
        from tensorflow.python.framework import op_callbacks, ops
        from tensorflow.python.ops import custom_gradient, resource_variable_ops, variables

        self.tf = tf
        self._record = record
        self._context = context.context()
        self._resource_variable_type = resource_variable_ops.BaseResourceVariable
        self._op_callbacks = op_callbacks
        recorder = self

        def enter(original):
            def __enter__(tape):
                result = original(tape)
                recorder._guard(recorder._on_tape_enter, tape)
                return result
            return __enter__

        def exit_(original):
            def __exit__(tape, *exc):
                try:
                    return original(tape, *exc)
                finally:
                    recorder._guard(recorder._on_tape_exit, tape)
            return __exit__

        def gradient(original):
            def gradient(tape, target, sources, *args, **kwargs):
                return recorder._gradient(original, tape, target, sources, args, kwargs)
            return gradient

        self._patcher.wrap(backprop.GradientTape, "__enter__", enter)
        self._patcher.wrap(backprop.GradientTape, "__exit__", exit_)
        self._patcher.wrap(backprop.GradientTape, "gradient", gradient)

        def watch(original):
            def watch(tape, tensor):
                recorder._guard(recorder._on_watch, tape, tensor)
                return original(tape, tensor)
            return watch

        self._patcher.wrap(backprop.GradientTape, "watch", watch)

        def variable_call(original):
            def __call__(cls, *args, **kwargs):
                # tf.Variable(...) calls the metaclass again for ResourceVariable; only the
                # outermost call sees the user's frame.
                nesting = recorder._creating
                nesting.depth = getattr(nesting, "depth", 0) + 1
                try:
                    variable = original(cls, *args, **kwargs)
                finally:
                    nesting.depth -= 1
                if nesting.depth == 0:
                    recorder._guard(recorder._on_variable_created, variable, sys._getframe(1))
                return variable
            return __call__

        self._patcher.wrap(variables.VariableMetaclass, "__call__", variable_call)

        eager_base = ops._EagerTensorBase
        for method in ("numpy", "__array__", "__float__", "__int__", "__index__", "__bool__"):
            self._patcher.wrap(eager_base, method, self._conversion_wrapper(method))

        def custom_decorator(original):
            def _eager_mode_decorator(f, args, kwargs):
                outputs = original(recorder._watch_custom_gradient(f), args, kwargs)
                recorder._guard(recorder._note_custom_outputs, outputs)
                return outputs
            return _eager_mode_decorator

        self._patcher.wrap(custom_gradient, "_eager_mode_decorator", custom_decorator)
        self._patcher.wrap(custom_gradient, "_graph_mode_decorator", custom_decorator)
        from tensorflow.python.ops import script_ops

        def py_func_common(original):
            def py_func_common(func, inp, *args, **kwargs):
                # Eager tf.numpy_function / tf.py_func hand NumPy copies of their inputs to
                # Python (read in C, unseen): each input leaves TensorFlow here.
                if recorder._open_tapes and tf.executing_eagerly():
                    for tensor in tf.nest.flatten(inp):
                        if type(tensor).__name__ == "EagerTensor":
                            recorder._guard(recorder._on_conversion, tensor, "numpy_function")
                    func = recorder._marked_as_inside_py_func(func, frames.caller_location(2))
                return original(func, inp, *args, **kwargs)
            return py_func_common

        self._patcher.wrap(script_ops, "py_func_common", py_func_common)
        from tensorflow.python.eager.polymorphic_function import polymorphic_function

        def function_call(original):
            def __call__(function, *args, **kwargs):
                recorder.stand_down_if_due()
                if not recorder._callback_on:
                    result = original(function, *args, **kwargs)
                    if id(function) in recorder._step_losses:
                        recorder._guard(recorder._watch_step_loss, function, result)
                    return result
                calls = recorder._tls.__dict__.setdefault("function_calls", [])
                calls.append((function, args, kwargs))
                try:
                    result = original(function, *args, **kwargs)
                finally:
                    calls.pop()
                if recorder._open_tapes and not getattr(recorder._tls, "quiet", 0):
                    recorder._guard(recorder._note_function_call, function, args, kwargs, result)
                if id(function) in recorder._step_losses:
                    recorder._guard(recorder._watch_step_loss, function, result)
                return result
            return __call__

        self._patcher.wrap(polymorphic_function.Function, "__call__", function_call)
        from tensorflow.python.ops import gradients_util

        def gradients_helper(original):
            def _GradientsHelper(ys, xs, *args, **kwargs):
                caller = sys._getframe(1)
                if not _asked_by_user(caller) or getattr(recorder._tls, "quiet", 0):
                    return original(ys, xs, *args, **kwargs)
                with recorder.quiet():
                    try:
                        result = original(ys, xs, *args, **kwargs)
                    except Exception as exc:
                        recorder._guard(recorder._graph_gradients, ys, xs, None, caller, exc)
                        raise
                    recorder._guard(recorder._graph_gradients, ys, xs, result, caller, None)
                return result
            return _GradientsHelper

        # tf.gradients / tf.compat.v1.gradients / K.gradients, in a tf.function or a graph
        self._patcher.wrap(gradients_util, "_GradientsHelper", gradients_helper)
        self._ops = ops
        self._set_callback(True)  # prelude: log eager ops until the first tapes stand down

    def _set_callback(self, on: bool) -> None:
        if on == self._callback_on or self.tf is None:
            return
        if on:
            self._op_callbacks.add_op_callback(self._on_op)
            self._callback_thread = threading.get_ident()
        else:
            if threading.get_ident() != getattr(self, "_callback_thread", None):
                return  # op callbacks are thread-local: only the main thread can remove it
            try:
                self._op_callbacks.remove_op_callback(self._on_op)
            except KeyError:
                pass
        self._callback_on = on

    # ------------------------------------------------------------- op callback
    def _on_op(self, op_type, inputs, attrs, outputs, op_name=None, graph=None):
        tls = self._tls
        if getattr(tls, "quiet", 0):
            return None
        try:
            recording = self._record.could_possibly_record()
            if graph is not None:
                if outputs:
                    op = outputs[0].op
                    self.graph_recording[op] = recording
                    if op.type in READ_OPS and \
                            str(getattr(graph, "name", "")).startswith("Dataset_"):
                        self._note_dataset_read(graph, inputs)
                    operations = getattr(tls, "operations", None)
                    if operations:  # the Keras layer or operation that made it, while traced
                        site = self.operation_sites.get(operations[-1])
                        if site is not None:
                            self.graph_op_sites[op] = site
                return None
            if isinstance(op_type, bytes):
                op_type = op_type.decode()
            self._log_eager_op(op_type, inputs, outputs, recording)
        except Exception as exc:  # noqa: BLE001
            self.internal_errors.append(exc)
        return None

    def _note_dataset_read(self, graph, inputs) -> None:
        """A variable read while tf.data traced a pipeline function: the pipeline runs
        outside every tape, so what it hands the step has no link to the variable."""
        if not inputs or len(self.dataset_reads) > 1000:
            return
        for external, internal in graph.captures:
            if internal is inputs[0] and hasattr(external, "_id"):
                where = _traced_user_location(sys._getframe(2)) or frames.caller_location(2)
                self.dataset_reads.setdefault(external._id, (where, graph.name))
                return

    def _log_eager_op(self, op_type, inputs, outputs, recording) -> None:
        if self._ops_until_stand_down is not None:
            self._ops_until_stand_down -= 1  # at 0, the next safe point stands down
        for tensor in inputs:
            if tensor._id > self.max_seen_key and tensor._id not in self.producers:
                self._link_fresh_input(tensor, recording)
        in_keys = tuple(t._id for t in inputs)
        handles = tuple(t._id for t in inputs if t._datatype_enum() == DT_RESOURCE)
        if op_type in ASSIGN_OPS:
            self._pseudo_key -= 1
            out_keys = (self._pseudo_key,)
            dtypes = (None,)
        else:
            out_keys = tuple(t._id for t in outputs)
            dtypes = tuple(t.dtype for t in outputs)
        if op_type in READ_OPS and in_keys and in_keys[0] in self._last_assign:
            # The value read back is whatever was assigned: link it through the assign.
            in_keys = in_keys + (self._last_assign[in_keys[0]],)
        node = OpNode(op_type, in_keys, out_keys, dtypes, frames.caller_location(2), recording,
                      handles, scope=self._context.scope_name,
                      call_site=getattr(self._tls, "model_call_site", None),
                      stack=() if recording else frames.user_stack(sys._getframe(2)),
                      layer_sites=getattr(self._tls, "layer_sites", ()))
        if recording and op_type in SINGULAR_GRADIENT_OPS:
            node.singular = _at_singular_point(op_type, inputs)
        elif recording and op_type in SATURATING_OPS and outputs:
            # A softmax over an axis of one value is 1.0 whatever its input: say so by name.
            node.saturated = "single_unit" if op_type == "Softmax" and \
                outputs[0].shape[-1:] == (1,) else _saturated(op_type, outputs[0])
        elif recording and op_type in FLAT_REGION_OPS and inputs:
            node.saturated = "flat_region" if _in_flat_region(op_type, inputs) else False
        if recording and op_type == "RealDiv" and self._normalises_one_entry(in_keys, outputs):
            node.saturated = "single_entry"
        producers = self.producers
        for key in out_keys:
            producers[key] = node
        if op_type in ASSIGN_OPS and handles:
            self._last_assign[in_keys[0]] = out_keys[0]
        if out_keys and out_keys[-1] > self.max_seen_key:
            self.max_seen_key = out_keys[-1]
        if len(producers) > MAX_LOGGED_OPS:
            for _ in range(MAX_LOGGED_OPS // 10):
                producers.popitem(last=False)

    def _link_fresh_input(self, tensor, recording) -> None:
        """A tensor made without any op since the last one: a constant, or a variable read
        that TensorFlow's C fast path made while converting an operand (`x * variable`).
        The operand is still a local of the op's Python wrapper: find it and log the read."""
        frame = sys._getframe(3)
        for _ in range(14):  # tf-keras' dense: matmul's dispatch and traceback wrappers
            if frame is None or frames.is_user_file(frame.f_code.co_filename):
                return
            for value in _with_list_items(frame.f_locals.values()):
                # Plain attribute reads only: a Keras variable's `handle` may initialise it.
                if not isinstance(value, self._resource_variable_type):
                    continue
                handle = value.__dict__.get("_handle")
                if handle is None or not hasattr(handle, "_id"):
                    continue
                if value.dtype == tensor.dtype and value.shape == tensor.shape:
                    self._log_read(handle._id, tensor, recording)
                    return
            frame = frame.f_back

    def _log_read(self, handle_key, tensor, recording) -> None:
        assigned = self._last_assign.get(handle_key)  # the value read back is what was assigned
        inputs = (handle_key,) if assigned is None else (handle_key, assigned)
        node = OpNode("ReadVariableOp", inputs, (tensor._id,), (tensor.dtype,),
                      frames.caller_location(3), recording, (handle_key,),
                      scope=self._context.scope_name,
                      call_site=getattr(self._tls, "model_call_site", None),
                      stack=() if recording else frames.user_stack(sys._getframe(3)),
                      layer_sites=getattr(self._tls, "layer_sites", ()))
        self.producers[tensor._id] = node

    # ------------------------------------------------------------------- tapes
    def _on_tape_enter(self, tape) -> None:
        if getattr(self._tls, "quiet", 0):
            return
        info = self._tapes.get(tape)
        if info is None:
            opened_at = _traced_user_location(sys._getframe(3)) or frames.caller_location(3)
            site = self._site_of(sys._getframe(3))
            info = TapeInfo(site=site, opened_at=opened_at, start_key=self.max_seen_key,
                            watch_accessed_variables=getattr(tape, "_watch_accessed_variables", True))
            self._tapes[tape] = info
        if info.site in self._done_sites:
            self._maybe_stand_down()
        self._open_tapes.append(tape)
        if info.site not in self._done_sites and threading.get_ident() == getattr(
                self, "_callback_thread", threading.get_ident()):
            self._set_callback(True)

    def _on_watch(self, tape, tensor) -> None:
        info = self._tapes.get(tape)
        if info is None:
            return
        from gradtrace.analyze.dataflow import GraphFlow

        for value in self.tf.nest.flatten(tensor):
            key = None
            if hasattr(value, "assign"):
                keys = handle_keys(value)
                key = keys[0] if keys else None
            elif self.tf.is_tensor(value) and type(value).__name__ != "KerasTensor":
                # graph tensors have an `_id` too: key them as the analysis does
                key = GraphFlow(self).key(value)
            if key is not None:
                info.watched_keys.add(key)

    def _on_tape_exit(self, tape) -> None:
        if tape in self._open_tapes:
            self._open_tapes.remove(tape)

    @staticmethod
    def _site_of(frame) -> tuple:
        """A tape's call site: the first frame outside TensorFlow (user or Keras code). In
        library code (Keras's own train step) one line serves every model: the model it
        trains is part of the site."""
        while frame is not None:
            filename = frame.f_code.co_filename
            if f"{os.sep}tensorflow{os.sep}" not in filename and "gradtrace" not in filename:
                owner = None if frames.is_user_file(filename) else frame.f_locals.get("self")
                return (filename, frame.f_lineno, id(owner))
            frame = frame.f_back
        return ("?", 0, 0)

    def function_argument(self, placeholder_op):
        """The eager tensor a `tf.function` being traced was called with, for one of its
        argument placeholders (they are named after the parameter: `logits`, `pair_1`)."""
        graph_name = getattr(placeholder_op.graph, "name", "")
        for function, args, kwargs in reversed(getattr(self._tls, "function_calls", ())):
            python_function = getattr(function, "_python_function", None)
            name = getattr(python_function, "__name__", None)
            if not name or name not in str(graph_name):
                continue
            return _argument_tensor(self.tf, python_function, args, kwargs, placeholder_op.name)
        return None

    def _note_function_call(self, function, args, kwargs, result) -> None:
        """A tf.function called eagerly while a tape records: the tape sees one call op.
        Keep the way into its graph (which graph output each result is, which eager tensor
        each argument placeholder was given) so the analysis can follow values inside."""
        tf = self.tf
        with self.quiet():
            concrete = function.get_concrete_function(*args, **kwargs)  # the traced one
        graph = concrete.graph
        outputs = tf.nest.flatten(concrete.structured_outputs, expand_composites=True)
        results = tf.nest.flatten(result, expand_composites=True)
        if len(outputs) != len(results):
            return
        for eager, traced in zip(results, outputs):
            if type(eager).__name__ == "EagerTensor" and hasattr(traced, "graph"):
                self.function_outputs[eager._id] = traced
        python_function = getattr(function, "_python_function", None)
        captured = {id(internal) for _, internal in graph.captures}
        for placeholder in graph.inputs:
            if id(placeholder) in captured or python_function is None:
                continue
            if placeholder.dtype == tf.resource:  # a variable passed as an argument
                variable = _argument_tensor(tf, python_function, args, kwargs,
                                            placeholder.op.name, variables=True)
                keys = handle_keys(variable) if variable is not None else []
                if keys:
                    self.function_arguments[placeholder.op] = keys[0]
                continue
            argument = _argument_tensor(tf, python_function, args, kwargs, placeholder.op.name)
            if argument is not None:
                self.function_arguments[placeholder.op] = argument._id
        self._note_function_assigns(graph)

    def _note_function_assigns(self, graph) -> None:
        """Assignments inside the called function (an optimizer's update step): a later
        read of the variable returns what they wrote, as for an eager assign."""
        from gradtrace.analyze.dataflow import GraphFlow

        flow = GraphFlow(self)
        for op in graph.get_operations():
            if op.type in ASSIGN_OPS and op.inputs:
                handle = flow.resolve_handle(op.inputs[0])
                if isinstance(handle, int):
                    self._pseudo_key -= 1
                    self.function_assigns[self._pseudo_key] = op
                    self._last_assign[handle] = self._pseudo_key

    def recording_active(self) -> bool:
        return bool(self._open_tapes) and not getattr(self._tls, "quiet", 0)

    def current_tape_infos(self) -> list[TapeInfo]:
        return [self._tapes[t] for t in self._open_tapes if t in self._tapes]

    def stand_down_if_due(self) -> None:
        """Called where no op callback is running (removing the callback from inside one
        would make TensorFlow skip the next callback for that op): a layer or
        tf.function call, a tape opening."""
        if self._ops_until_stand_down is not None and self._ops_until_stand_down <= 0:
            self._maybe_stand_down()

    def _maybe_stand_down(self) -> None:
        self._ops_until_stand_down = None
        if self._open_tapes:
            return
        live_sites = {info.site for info in self._tapes.values()}  # (tapes may be gone)
        if self._done_sites and live_sites <= self._done_sites:
            self._set_callback(False)
            self._guard(self.check_terms_after_gradient)  # (while the op log is kept)
            self.producers.clear()
            self._last_assign.clear()
            self.graph_recording.clear()
            self.function_outputs.clear()
            self.function_arguments.clear()
            self.function_assigns.clear()
            self.graph_op_sites.clear()
            self.added_losses.clear()
            self.custom_gradient_outputs.clear()

    def _normalises_one_entry(self, in_keys: tuple, outputs) -> bool:
        """`x / reduce_sum(x, axis=-1, keepdims=True)` over a last axis of one entry (a
        categorical cross-entropy over one class): 1.0 whatever `x` is."""
        if len(in_keys) != 2 or not outputs or tuple(outputs[0].shape[-1:]) != (1,):
            return False
        denominator = self.producers.get(in_keys[1])
        return denominator is not None and denominator.op_type == "Sum" and \
            bool(denominator.inputs) and denominator.inputs[0] == in_keys[0]

    def quiet(self):
        """Context manager: ops run inside are not logged (our own analysis, predict)."""
        recorder = self

        class _Quiet:
            def __enter__(self):
                recorder._tls.quiet = getattr(recorder._tls, "quiet", 0) + 1

            def __exit__(self, *exc):
                recorder._tls.quiet -= 1

        return _Quiet()

    # ---------------------------------------------------------------- gradient
    def _gradient(self, original, tape, target, sources, args, kwargs):
        info = self._tapes.get(tape)
        if getattr(self._tls, "quiet", 0):
            return original(tape, target, sources, *args, **kwargs)
        if info is None or info.site in self._done_sites:
            if self._late_nan_watch and not _finite_scalar(target):
                self._late_nan_watch = False  # (once)
                self._guard(self._nonfinite_arrived, sources, sys._getframe(2))
            return original(tape, target, sources, *args, **kwargs)
        call_frame = sys._getframe(2)
        self._tls.custom_nones = []
        with self.quiet():
            try:
                result = original(tape, target, sources, *args, **kwargs)
            except Exception as exc:
                self._guard(self._analyze, tape, info, target, sources, None, call_frame, exc)
                raise
            custom_nones = self._tls.custom_nones
            # `output_gradients` weighs the target's entries: then it is not their sum
            weighted = bool(args) or kwargs.get("output_gradients") is not None
            self._guard(self._analyze, tape, info, target, sources, result, call_frame, None,
                        custom_nones, weighted)
        return result

    def _analyze(self, tape, info, target, sources, result, call_frame, exc, custom_nones=(),
                 weighted=False):
        from gradtrace.analyze.call import GradientCall
        from gradtrace.analyze.gradient_call import diagnose

        with _collection_paused():
            call = GradientCall.build(self, tape, info, target, sources, result, call_frame,
                                      exc, list(custom_nones))
            call.summed_target_shape = () if weighted else _shape_of(target)
            new = diagnose(call)
        self._note_differentiated(call)
        if self.keep_gradients:
            from gradtrace.analyze.gradient_values import gradient_statuses

            self.gradients.append(gradient_statuses(call))
        for finding in new:
            self.add_finding(finding)
        if not call.compiled:
            self._guard(self._note_zero_gradients, call, new)
            if not new and call.target_keys and len(self._answered_calls) < 20:
                call.frame = None  # not kept alive past the diagnosis
                self._answered_calls.append((call, self.max_seen_key))
        if call.compiled:
            call.frame = None  # not kept alive past the diagnosis
            self.traced_calls = self.traced_calls[-7:] + [call]
            self.traced_count += 1
            self._guard(self._note_traced_weights, sources, call)
            self._guard(self._note_traced_step, call)
        site_calls = self._site_calls.get(info.site, 0) + 1
        self._site_calls[info.site] = site_calls
        if new or call.compiled or site_calls >= EAGER_WARMUP_CALLS:
            # Stand down only when a finished tape opens again (the next step): a later
            # tape of this step (a GAN's second one) needs the ops that ran before both.
            # A program that opens no tape again (one `fit`, then eager inference) is
            # let go after a bounded number of ops.
            self._done_sites.add(info.site)
            self._ops_until_stand_down = STAND_DOWN_AFTER_OPS

    def _graph_gradients(self, ys, xs, result, caller, exc) -> None:
        """A graph's symbolic gradient (`tf.gradients`): every tensor of the graph is a
        source it may ask for, as if one tape had watched them all."""
        from gradtrace.analyze.call import GradientCall
        from gradtrace.analyze.gradient_call import diagnose

        site = self._site_of(caller)
        if site in self._done_sites or not self.tf.nest.flatten(ys):
            return  # (an empty loss list is explained from the exception it raises)
        self._done_sites.add(site)
        user = caller.f_back
        opened_at = _traced_user_location(user) or frames.user_location(user)
        info = TapeInfo(site=site, opened_at=opened_at, start_key=-1, graph_gradients=True)
        with _collection_paused():
            call = GradientCall.build(self, None, info, ys, xs, result, user, exc, [])
            new = diagnose(call)
        self._note_differentiated(call)
        for finding in new:
            self.add_finding(finding)

    def _note_differentiated(self, call) -> None:
        """The targets of a gradient call and where it was asked: a loss made from that
        gradient (a PINN's `du/dx`) uses them only through their derivative."""
        if call.target_keys and call.location is not None and len(self.differentiated) < 200:
            self.differentiated.append((call.target_keys, call.location))

    def _note_traced_weights(self, sources, call) -> None:
        """The finite variables a traced step trains: a loop that later writes NaN into
        them is told at the end of the run (`check_trained_weights`)."""
        import numpy as np

        named = {s.key: s.name for s in call.sources if s.is_variable}
        for variable in self.tf.nest.flatten(sources):
            keys = handle_keys(variable) if hasattr(variable, "assign") else ()
            if not keys or len(self._traced_weights) >= 10_000:
                continue
            try:
                with self.tf.init_scope():  # out of the trace, to read the value
                    finite = bool(np.all(np.isfinite(variable.numpy())))
                reference = weakref.ref(variable)
            except Exception:  # noqa: BLE001  (no value yet, or no weak reference)
                continue
            if finite:
                self._traced_weights.append((reference, named.get(keys[0], str(keys[0]))))

    def _note_traced_step(self, call) -> None:
        """The outermost tf.function being traced around a user's gradient call is a
        training step: the loss it returns is watched on every later call."""
        from gradtrace.analyze.call import opened_by_library

        stack = getattr(self._tls, "function_calls", None)
        if not stack or opened_by_library(call) or len(self._step_losses) >= 100:
            return
        function = stack[0][0]
        if id(function) not in self._step_losses:
            self._step_losses[id(function)] = {
                "calls": 0, "finite": 0, "call": call, "name": _function_name(function),
                "weights": self._fingerprints(call.variables.values())}

    def _fingerprints(self, variables) -> list:
        """(weak reference, checksum of the value) of each variable, read out of the trace:
        whether training ever changed them is told at the end (`check_unmoved_steps`)."""
        import zlib

        import numpy as np

        found = []
        for variable in list(variables)[:10_000]:
            try:
                with self.tf.init_scope():
                    value = np.ascontiguousarray(variable.numpy())
                found.append((weakref.ref(variable), zlib.crc32(value.tobytes())))
            except Exception:  # noqa: BLE001  (no value yet, or no weak reference)
                return []
        return found

    def _watch_step_loss(self, function, result) -> None:
        """A traced step's returned scalar losses: finite for some calls and then NaN or
        Inf, training went non-finite after the steps that were looked at. Told once; a
        step whose first loss is already non-finite is left to the first steps' checks."""
        import numpy as np

        watch = self._step_losses[id(function)]
        watch["calls"] += 1
        if watch.get("told"):
            return
        losses = self._returned_losses(result)
        if not losses:  # returns no loss to watch
            watch["told"] = True
            return
        if all(np.isfinite(t.numpy()).all() for t in losses):
            watch["finite"] += 1
            return
        watch["told"] = True
        if watch["finite"] and not any(f.cause == "nonfinite_gradient" for f in self.findings):
            from gradtrace.analyze.gradient_values import nonfinite_after_training

            call = watch["call"]
            self.add_finding(nonfinite_after_training(
                [call], [s.name for s in call.sources if s.is_variable], f"The loss that `{watch['name']}` returns was finite for "
                f"{watch['finite']} calls and NaN or Inf from call {watch['calls']}", None))

    def _returned_losses(self, result) -> list:
        """The losses among a step's results: the values of a dict's `...loss...` keys, or
        else the first scalar (not a metric returned beside the loss, which may be NaN
        for a batch by itself, a precision with no positives)."""
        if isinstance(result, dict):
            values = [v for k, v in result.items() if "loss" in str(k).lower()]
        else:
            values = self.tf.nest.flatten(result)[:8]
        scalars = [t for t in values if type(t).__name__ == "EagerTensor"
                   and t.dtype.is_floating and t.shape.num_elements() == 1]
        return scalars if isinstance(result, dict) else scalars[:1]

    def note_trained_model(self, model) -> None:
        if id(model) not in self._trained_models and len(self._trained_models) < 20:
            self._trained_models[id(model)] = weakref.ref(model)

    def check_trained_models(self) -> None:
        """At the end: layers that the models run under a tape made and never called."""
        from gradtrace.record.never_called import check_never_called

        for reference in list(self._trained_models.values()):
            model = reference()
            if model is not None:
                check_never_called(self, model, "the training loop")

    def _note_zero_gradients(self, call, findings) -> None:
        """A zero gradient seen in one eager step may be that batch's alone (a loss at a
        stationary point by chance): the variables' fingerprints now tell at the end whether
        training moved them after all (`withdraw_moved_zero_gradients`)."""
        by_name = {s.name: call.variables[s.key] for s in call.sources if s.key in call.variables}
        for finding in findings:
            if finding.cause == "zero_gradient" and len(self._zero_findings) < 100:
                variables = [by_name[n] for n in finding.variables if n in by_name]
                weights = self._snapshots(variables)
                if weights:
                    self._zero_findings.append((finding, weights))

    def _snapshots(self, variables, budget: int = 5_000_000) -> list:
        """(weak reference, copy of the value) of each variable, up to `budget` values in
        all: whether training moved them by more than rounding is told at the end."""
        import numpy as np

        found = []
        for variable in list(variables)[:1_000]:
            try:
                value = np.array(variable.numpy(), copy=True)
                budget -= value.size
                if budget < 0:
                    return []
                found.append((weakref.ref(variable), value))
            except Exception:  # noqa: BLE001  (no value yet, or no weak reference)
                return []
        return found

    def _nonfinite_arrived(self, sources, frame) -> None:
        """A loss turned NaN or Inf at a gradient call no longer recorded, with every
        weight it asks about still finite: the NaN came in with the step's inputs."""
        import numpy as np

        from gradtrace.analyze.late_nan import nonfinite_input

        if any(f.cause == "nonfinite_gradient" for f in self.findings):
            return
        variables = [v for v in self.tf.nest.flatten(sources) if hasattr(v, "assign")]
        if not variables or not all(np.all(np.isfinite(v.numpy())) for v in variables):
            return
        finding = nonfinite_input(frame, [self.variables[k].name for v in variables[:200]
                                          for k in handle_keys(v)[:1] if k in self.variables])
        if finding is not None:
            self.add_finding(finding)

    def check_terms_after_gradient(self) -> None:
        """At the end: a loss term made from the variables after their gradient was taken,
        and added to the loss afterwards (`total_loss += l2` below `tape.gradient`)."""
        from gradtrace.analyze.late_terms import term_added_after

        answered, self._answered_calls = self._answered_calls, []
        for call, after_key in answered:
            finding = term_added_after(call, self.producers, after_key)
            if finding is not None:
                self.add_finding(finding)
                return

    def withdraw_moved_zero_gradients(self) -> None:
        """At the end: a zero-gradient finding whose variables training changed since
        (a later step, `fit`) described a passing moment, not a model that cannot learn."""
        import numpy as np

        for finding, weights in self._zero_findings:
            moved = False
            for reference, before in weights:
                variable = reference()
                if variable is not None and _moved(before, np.asarray(variable.numpy())):
                    moved = True
                    break
            if moved and finding in self.findings:
                with self._lock:
                    self.findings.remove(finding)

    def check_unmoved_steps(self) -> None:
        """At the end: a traced training step called again and again whose variables never
        changed by a bit: every gradient it applied was zero."""
        import zlib

        import numpy as np

        from gradtrace.analyze.gradient_values import unmoved_after_training

        for watch in self._step_losses.values():
            weights = watch.get("weights")
            if watch["calls"] < STEP_CALLS_FOR_UNMOVED or not weights:
                continue
            current = [reference() for reference, _ in weights]
            if any(v is None for v in current) or any(
                    zlib.crc32(np.ascontiguousarray(v.numpy()).tobytes()) != checksum
                    for v, (_, checksum) in zip(current, weights)):
                continue
            call = watch["call"]
            names = {s.name for s in call.sources if s.is_variable}
            if any(names & set(f.variables) for f in self.findings):
                continue  # (already explained)
            self.add_finding(unmoved_after_training(call, watch["name"], watch["calls"]))

    def check_trained_weights(self) -> None:
        """At the end: weights of a traced step that were finite and now hold NaN or Inf."""
        import numpy as np

        from gradtrace.analyze.gradient_values import nonfinite_after_training

        if not self._traced_weights or any(
                f.cause == "nonfinite_gradient" for f in self.findings):
            return
        spoiled = []
        for reference, name in self._traced_weights:
            variable = reference()
            if variable is not None and not np.all(np.isfinite(variable.numpy())):
                spoiled.append(name)
        if spoiled:
            self.add_finding(nonfinite_after_training(
                self.traced_calls, list(dict.fromkeys(spoiled)),
                f"Training wrote NaN or Inf into {len(spoiled)} weights that were finite "
                "when the step was traced", None))

    def add_finding(self, finding: Finding) -> None:
        with self._lock:
            key = finding.key()
            if key not in self._finding_keys:
                self._finding_keys.add(key)
                self.findings.append(finding)

    # --------------------------------------------------------------- variables
    def _on_variable_created(self, variable, caller) -> None:
        keys = handle_keys(variable)
        if not keys or any(key in self.variables for key in keys):
            return  # traced (no eager handle), or a new view of a known variable (assign())
        location = (self._declared_location(caller) or _traced_user_location(caller)
                    or frames.user_location(caller))
        raw = frames.is_user_file(caller.f_code.co_filename)
        caller_file = caller.f_code.co_filename
        if "__autograph_generated" in caller_file or f"{os.sep}autograph{os.sep}" in caller_file:
            # The user's function, converted by autograph for tf.function: TF's own stack
            # mapping gives back its file and line.
            from tensorflow.python.util import tf_stack

            location = frames.location_from_stack(tf_stack.extract_stack()) or location
            raw = True
        owner, keras3_owner = "", False
        if raw:
            owner_obj = caller.f_locals.get("self")
            if owner_obj is not None:
                owner, keras3_owner = _describe_layer(owner_obj)
        info = VariableInfo(
            name=variable_name(variable), dtype=getattr(variable.dtype, "name", str(variable.dtype)),
            trainable=bool(getattr(variable, "trainable", True)), created_at=location,
            raw_in_user_code=raw, owner=owner, owner_is_keras3_layer=keras3_owner,
            metric=_metric_creating(caller),
        )
        for key in keys:
            self.variables[key] = info

    def _declared_location(self, caller) -> Location | None:
        """A Keras 3 variable made late (deferred initialisation, in fit's trace): where
        the user's code declared it."""
        frame = caller
        for _ in range(4):
            if frame is None:
                return None
            owner = frame.f_locals.get("self")
            if owner is not None and id(owner) in self.declared_at:
                return self.declared_at.pop(id(owner))
            frame = frame.f_back
        return None

    def variable_info(self, variable) -> VariableInfo | None:
        """Info for a variable object (Keras 3 Variable, tf.Variable or distributed)."""
        keys = handle_keys(variable)
        if not keys:
            return None
        info = next((self.variables[k] for k in keys if k in self.variables), None)
        if info is None:
            info = VariableInfo(name=variable_name(variable),
                                dtype=getattr(variable.dtype, "name", str(variable.dtype)),
                                trainable=bool(getattr(variable, "trainable", True)))
        elif hasattr(variable, "path"):
            info.name = variable.path  # the Keras 3 name wins
        for key in keys:
            self.variables[key] = info
        return info

    def qualify_legacy_names(self, frame) -> None:
        """tf-keras names variables by layer only ('dense/kernel'): prefix the name of the
        smallest model, among those the user's code holds, that owns the variable."""
        tf_keras = sys.modules.get("tf_keras")
        frame = frame or frames.user_frame(sys._getframe(1))
        if tf_keras is None or frame is None:
            return
        model_type = tf_keras.Model
        models = [v for v in {**frame.f_globals, **frame.f_locals}.values()
                  if isinstance(v, model_type)]
        owner: dict[int, tuple[int, str]] = {}
        for model in models:
            try:
                weights = model.weights
            except ValueError:  # a Sequential without an Input that was never built
                continue
            for variable in weights:
                self.variable_info(variable)  # known even if created before recording began
                for key in handle_keys(variable):
                    if key not in owner or len(weights) < owner[key][0]:
                        owner[key] = (len(weights), model.name)
        for key, (_, model_name) in owner.items():
            info = self.variables.get(key)
            if info is not None and not info.name.startswith(model_name + "/"):
                info.name = f"{model_name}/{info.name}"

    # -------------------------------------------------------------- conversions
    def _conversion_wrapper(self, how: str):
        recorder = self

        def make(original):
            def convert(tensor, *args, **kwargs):
                if recorder._open_tapes and not getattr(recorder._tls, "quiet", 0):
                    recorder._guard(recorder._on_conversion, tensor, how)
                return original(tensor, *args, **kwargs)
            return convert
        return make

    def _marked_as_inside_py_func(self, func, where):
        """`func` as tf.numpy_function will call it, noting while it runs that whatever
        leaves TensorFlow inside it does so inside the numpy_function called at `where`."""
        recorder = self

        @functools.wraps(func)
        def inside_py_func(*args):
            calls = recorder._tls.__dict__.setdefault("py_func_calls", [])
            calls.append(where)
            try:
                return func(*args)
            finally:
                calls.pop()
        return inside_py_func

    def _on_conversion(self, tensor, how: str) -> None:
        # Inside tf.numpy_function's Python function, the numpy_function is the cut that
        # matters: nothing computed in there has a gradient, converted or not.
        py_func_calls = getattr(self._tls, "py_func_calls", None)
        predict = getattr(self._tls, "predict", None)
        # A bool (`if x > 0:`) is never recorded by the tape, but it may be what the loss
        # was branched on: the analysis decides from the dataflow.
        if predict is None and tensor.dtype != self.tf.bool and \
                not self._record.should_record_backprop([tensor]):
            return
        conversion = Conversion(tensor._id, how, frames.caller_location(3), predict,
                                py_func_calls[0] if py_func_calls else None)
        for info in self.current_tape_infos():
            info.conversions.append(conversion)

    def on_variable_copied(self, variable, how: str) -> None:
        """A variable's value copied out through NumPy while a tape recorded: what is made
        from the copy has no link to the variable."""
        keys = handle_keys(variable)
        if not keys:
            return
        conversion = Conversion(keys[0], how, frames.caller_location(3))
        for info in self.current_tape_infos():
            info.conversions.append(conversion)

    # ---------------------------------------------------------- custom gradient
    def _watch_custom_gradient(self, f):
        recorder = self

        def forward(*args, **kwargs):
            result, grad_fn = f(*args, **kwargs)
            return result, _make_grad_watcher(recorder, f, grad_fn)

        forward.__name__ = getattr(f, "__name__", "custom_gradient")
        return forward

    def _note_custom_outputs(self, outputs) -> None:
        """What a @tf.custom_gradient returns gets its gradient from the user's function,
        whatever ops computed it."""
        for tensor in self.tf.nest.flatten(outputs):
            if type(tensor).__name__ == "EagerTensor":
                self.custom_gradient_outputs.add(tensor._id)
            elif hasattr(tensor, "op"):
                self.custom_gradient_ops.add(tensor.op)

    def is_custom_gradient_output(self, node) -> bool:
        if node.graph_op is not None:
            return node.graph_op in self.custom_gradient_ops
        return any(key in self.custom_gradient_outputs for key in node.outputs)

    def note_custom_none(self, event: CustomGradientNone) -> None:
        nones = getattr(self._tls, "custom_nones", None)
        if nones is not None:
            nones.append(event)


def _make_grad_watcher(recorder: Recorder, f, grad_fn):
    """Wrap a custom gradient's backward function to see the Nones it returns.

    TensorFlow inspects grad_fn's signature (for `variables=`): the wrapper is
    made with TensorFlow's own decorator helper so the signature is preserved.
    """
    from tensorflow.python.util import tf_decorator

    def watched(*args, **kwargs):
        returned_at: list[int] = []
        code = getattr(grad_fn, "__code__", None)

        def profiler(frame, event, arg):
            if event == "return" and frame.f_code is code:
                returned_at.append(frame.f_lineno)

        previous = sys.getprofile()
        sys.setprofile(profiler if code is not None else previous)
        try:
            grads = grad_fn(*args, **kwargs)
        finally:
            sys.setprofile(previous)
        recorder._guard(_note_nones, recorder, f, grad_fn, grads, returned_at)
        return grads

    return tf_decorator.make_decorator(grad_fn, watched)


def _note_nones(recorder: Recorder, f, grad_fn, grads, returned_at) -> None:
    flat = grads if isinstance(grads, (list, tuple)) else [grads]
    if isinstance(grads, tuple) and len(grads) == 2 and isinstance(grads[0], (list, tuple)):
        flat = list(grads[0]) + list(grads[1] or [])
    if not any(g is None for g in flat):
        return
    code = getattr(grad_fn, "__code__", None)
    location = None
    if code is not None and returned_at:
        location = Location(code.co_filename, returned_at[-1], code.co_name)
    user_f = getattr(f, "__wrapped__", f)
    f_code = getattr(user_f, "__code__", None)
    defined_at = Location(f_code.co_filename, f_code.co_firstlineno, f_code.co_name) if f_code else None
    recorder.note_custom_none(CustomGradientNone(getattr(user_f, "__name__", "?"), location or defined_at,
                                                 defined_at))


@contextlib.contextmanager
def _collection_paused():
    """The analysis makes many small objects in a large heap (a model's): a full garbage
    collection in the middle of it cost more than the analysis itself (0.3 s of 0.5 s on
    MobileNetV2). Collection resumes as it was right after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _with_list_items(values):
    """The values, and the items of the short lists among them (`[v]` packed by TF)."""
    for value in values:
        yield value
        if type(value) in (list, tuple) and len(value) <= 16:
            yield from value


def _function_name(function) -> str:
    return getattr(getattr(function, "_python_function", None), "__name__", None) or \
        getattr(function, "__name__", "the step")


def _asked_by_user(caller) -> bool:
    """`_GradientsHelper` called by tf.gradients itself, not by TF's control-flow or
    function gradients (which build their own gradient graphs with it)."""
    code = caller.f_code
    return code.co_name in ("gradients", "gradients_v2") and \
        code.co_filename.endswith("gradients_impl.py")


def _traced_user_location(frame):
    """Inside a function autograph converted for tf.function, the user's own line comes
    from TensorFlow's stack mapping (the frame itself is in a generated file)."""
    while frame is not None and not frames.is_user_file(frame.f_code.co_filename):
        if "__autograph_generated" in frame.f_code.co_filename:
            from tensorflow.python.util import tf_stack

            return frames.location_from_stack(tf_stack.extract_stack())
        frame = frame.f_back
    return None


def _argument_tensor(tf, python_function, args, kwargs, placeholder_name: str,
                     variables: bool = False):
    import inspect

    try:
        bound = inspect.signature(python_function).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return None
    base, _, index = placeholder_name.rpartition("_")
    if not (index.isdigit() and base in bound.arguments):
        base, index = placeholder_name, "0"
    value = bound.arguments.get(base)
    if value is None:
        return None
    if variables:
        tensors = [t for t in tf.nest.flatten(value) if hasattr(t, "assign")]
    else:
        tensors = [t for t in tf.nest.flatten(value) if type(t).__name__ == "EagerTensor"]
    position = int(index)
    return tensors[position] if position < len(tensors) else None


def handle_keys(variable) -> list[int]:
    """Ids of the eager resource handles behind a variable (one per replica if distributed).

    Side-effect free: a Keras 3 variable that is not initialised yet is left alone (its
    `handle` property would run the initializer and draw random numbers)."""
    if "_value" in getattr(variable, "__dict__", {}) and hasattr(variable, "path"):
        variable = variable.__dict__["_value"]  # Keras 3: the backing tf.Variable, or None
        if variable is None:
            return []
    components = getattr(variable, "values", None)
    if not isinstance(components, (list, tuple)):
        components = (variable,)
    keys = []
    for component in components:
        try:
            handle = component.handle
        except Exception:  # noqa: BLE001  (distributed variables outside a replica)
            continue
        if hasattr(handle, "_id") and type(handle).__name__ == "EagerTensor":
            keys.append(handle._id)
    return keys


def variable_name(variable) -> str:
    path = getattr(variable, "path", None)
    if isinstance(path, str) and path:
        return path
    name = getattr(variable, "name", "") or ""
    if name.endswith(":0"):
        name = name[:-2]
    return re.sub(r"/replica_\d+$", "", name)


def _metric_creating(frame, depth: int = 12) -> str:
    """The class of the Keras Metric whose code is creating a variable, or ''."""
    while frame is not None and depth:
        owner = frame.f_locals.get("self")
        if owner is not None and any(
                c.__name__ == "Metric" and c.__module__.split(".")[0] in ("keras", "tf_keras")
                for c in type(owner).__mro__):
            return type(owner).__name__
        frame, depth = frame.f_back, depth - 1
    return ""


def _describe_layer(obj) -> tuple[str, bool]:
    """('ClassName \\'layer_name\\'', is a Keras 3 layer) for a Keras layer, else ('', False)."""
    keras3 = sys.modules.get("keras")
    layer_types = []
    is_keras3 = False
    if keras3 is not None:
        from keras.src.layers.layer import Layer as Keras3Layer  # type: ignore

        layer_types.append(Keras3Layer)
        is_keras3 = isinstance(obj, Keras3Layer)
    tf_keras = sys.modules.get("tf_keras")
    if tf_keras is not None:
        layer_types.append(tf_keras.layers.Layer)
    if keras3 is None and tf_keras is None or not isinstance(obj, tuple(layer_types)):
        return "", False
    name = getattr(obj, "name", None) or "?"
    return f"{type(obj).__name__} '{name}'", is_keras3


def _shape_of(target) -> tuple:
    """The shape of a single tensor target, () when unknown or not one tensor."""
    shape = getattr(target, "shape", None)
    try:
        return tuple(shape.as_list()) if shape is not None and shape.rank is not None else ()
    except (AttributeError, ValueError):
        return ()
