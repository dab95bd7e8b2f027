"""What the recorder keeps: plain records, no TensorFlow objects where avoidable."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gradtrace.findings import Location

# Ops that read a variable's value (their first input is the handle).
READ_OPS = frozenset({"ReadVariableOp", "ResourceGather", "ResourceGatherNd"})
# Ops that write into a variable (their first input is the handle; the rest, the values).
ASSIGN_OPS = frozenset({
    "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp",
    "ResourceScatterUpdate", "ResourceScatterAdd", "ResourceScatterSub", "ResourceScatterMul",
    "ResourceScatterDiv", "ResourceScatterMin", "ResourceScatterMax",
    "ResourceScatterNdUpdate", "ResourceScatterNdAdd", "ResourceScatterNdSub",
    "ResourceScatterNdMin", "ResourceScatterNdMax", "ResourceStridedSliceAssign",
    # the fused optimizer updates of tf-keras and tf.compat.v1 optimizers
    "ResourceApplyGradientDescent", "ResourceApplyMomentum", "ResourceApplyKerasMomentum",
    "ResourceApplyAdam", "ResourceApplyAdamWithAmsgrad", "ResourceApplyAdaMax",
    "ResourceApplyRMSProp", "ResourceApplyCenteredRMSProp", "ResourceApplyAdagrad",
    "ResourceApplyAdagradV2", "ResourceApplyAdadelta", "ResourceApplyFtrl",
    "ResourceApplyFtrlV2", "ResourceApplyProximalGradientDescent",
    "ResourceApplyProximalAdagrad", "ResourceApplyAddSign", "ResourceApplyPowerSign",
})
DT_RESOURCE = 20


# Ops whose gradient is infinite somewhere in their domain: sqrt and rsqrt at 0, log and
# division at 0, pow with a fractional exponent at 0, acos/asin/atanh at ±1.
SINGULAR_GRADIENT_OPS = frozenset({
    "Sqrt", "Rsqrt", "Log", "Log1p", "RealDiv", "Div", "Reciprocal", "Inv",
    "Pow", "Acos", "Asin", "Atanh", "Xlogy", "Xdivy", "Lgamma", "Digamma",
    "Exp", "Expm1",  # not singular, but their values (and gradients) overflow to Inf
})


SATURATING_OPS = frozenset({"Softmax", "Sigmoid", "Tanh"})
# Ops whose gradient is zero over a region of their input: a clip beyond its bound, a
# ReLU below zero.
FLAT_REGION_OPS = frozenset({"Minimum", "Maximum", "ClipByValue", "Relu"})


def in_flat_region(op_type: str, values: list) -> bool:
    """Whether every value of a FLAT_REGION_OPS op's NumPy inputs `values` lies where its
    gradient is zero: `tf.minimum(x, 10)` with every x above 10 (the bound, one value, is
    either operand), a ReLU with every input below zero."""
    import numpy as np

    x = values[0]
    if x.dtype.kind != "f" or x.size == 0:
        return False
    if op_type == "Relu":
        return bool(np.all(x < 0))
    if op_type == "ClipByValue":
        return bool(np.all((x < values[1]) | (x > values[2])))
    y = values[1]
    if y.size == 1 < x.size or (x.size == 1 and y.size == 1):
        value, bound = x, y
    elif x.size == 1 < y.size:
        value, bound = y, x
    else:
        return False  # two tensors of values: which one is the bound is not known
    return bool(np.all(value > bound) if op_type == "Minimum" else np.all(value < bound))


def saturated(op_type: str, output) -> bool:
    """Whether every value of a SATURATING_OPS op's NumPy `output` lies on an asymptote
    to within 1e-6, where the op's gradient is zero in float32 (p * (1 - p) < 1e-6)."""
    import numpy as np

    if output.size == 0 or output.dtype.kind != "f":
        return False
    low = -1.0 if op_type == "Tanh" else 0.0
    return bool(np.all(np.minimum(output - low, 1.0 - output) <= 1e-6))


def at_singular_point(op_type: str, values: list) -> bool:
    """Whether NumPy input `values` of a SINGULAR_GRADIENT_OPS op sit where its gradient
    is infinite or undefined (or, for `exp`, overflows)."""
    import numpy as np

    x = values[0]
    if op_type in ("Sqrt", "Rsqrt", "Log", "Lgamma", "Digamma"):
        return bool(np.any(x <= 0))
    if op_type == "Log1p":
        return bool(np.any(x <= -1))
    if op_type in ("Reciprocal", "Inv"):
        return bool(np.any(x == 0))
    if op_type in ("RealDiv", "Div", "Xlogy", "Xdivy"):
        return bool(np.any(values[1] == 0))
    if op_type in ("Exp", "Expm1"):
        return x.dtype.kind == "f" and bool(np.any(x > np.log(np.finfo(x.dtype).max)))
    if op_type in ("Acos", "Asin", "Atanh"):
        return bool(np.any(np.abs(x) >= 1))
    if op_type == "Pow":
        y = np.broadcast_to(values[1], np.broadcast(x, values[1]).shape)
        x = np.broadcast_to(x, y.shape)
        return bool(np.any(((x == 0) & (y < 1)) | ((x < 0) & (y != np.round(y)))))
    return False


class OpNode:
    """One executed (eager) or traced (graph) operation."""

    __slots__ = ("op_type", "inputs", "outputs", "out_dtypes", "_location", "recording",
                 "handles", "graph_op", "scope", "call_site", "made_at", "stack",
                 "singular", "layer_sites", "saturated")

    def __init__(self, op_type, inputs, outputs, out_dtypes, location, recording,
                 handles=(), graph_op=None, scope="", call_site=None, made_at=None,
                 stack=(), layer_sites=()):
        self.op_type: str = op_type
        self.inputs: tuple = inputs
        self.outputs: tuple = outputs
        self.out_dtypes: tuple = out_dtypes
        self._location = location
        self.recording: bool | None = recording
        self.handles: tuple = handles  # input keys that are variable handles
        self.graph_op = graph_op
        self.scope: str = scope  # the name scope it ran in: the Keras layer's path, or ""
        # The user's line that called the outermost Keras layer or model the op ran in.
        self.call_site: Location | None = call_site
        # Where the Keras layer or operation that made this traced op was created.
        self.made_at: Location | None = made_at
        # For an eager op run while no tape recorded: its user frames (frames.user_stack).
        self.stack: tuple = stack
        # For an eager op whose gradient is infinite somewhere (SINGULAR_GRADIENT_OPS):
        # whether its input values were at such a point; None when not known (traced).
        self.singular: bool | None = None
        # For an eager op: the user's lines that called each Keras layer it ran in,
        # outermost first (`x = self.block(x)` in a model's call, then the line in the
        # block's call): where a shared layer's code was entered from.
        self.layer_sites: tuple = layer_sites
        # For an eager softmax, sigmoid or tanh: whether every output sat on an asymptote
        # (0 or 1; -1 or 1, to within 1e-6), where its gradient is zero in float32.
        # or "single_unit": a softmax over one value; "flat_region": every input of a clip
        # beyond its bound, or of a ReLU below zero.
        self.saturated: bool | str = False

    @property
    def location(self) -> Location | None:
        """Resolved lazily: graph ops carry a traceback we only read when reporting."""
        loc = self._location
        if callable(loc):
            loc = self._location = loc()
        return loc

    def __repr__(self) -> str:
        return f"OpNode({self.op_type}, in={self.inputs}, out={self.outputs})"


@dataclass
class VariableInfo:
    name: str
    dtype: str = ""
    trainable: bool = True
    created_at: Location | None = None
    raw_in_user_code: bool = False  # created by a direct tf.Variable(...) call in user code
    owner: str = ""  # class and name of the Keras layer whose method created it
    owner_is_keras3_layer: bool = False
    frozen_at: tuple | None = None  # (Location, layer name) of the user's `trainable = False`
    unfrozen_at: tuple | None = None  # ... and of a later `trainable = True`
    frozen_before: tuple | None = None  # the freeze that `unfrozen_at` undid (or did not)
    metric: str = ""  # the class of the Keras Metric that holds it (a state variable)


def responsible_freeze(infos) -> tuple | None:
    """The `trainable = False` that keeps these variables frozen. A variable whose layer
    was set trainable again and is still frozen is held by a container's freeze (`model.
    trainable = False` over `layer.trainable = True`): that one is the cause."""
    infos = [i for i in infos if i is not None]
    held = next((i.frozen_before for i in infos if i.unfrozen_at and i.frozen_before), None)
    return held or next((i.frozen_at for i in infos if i.frozen_at), None)


@dataclass
class Conversion:
    """A tensor that left TensorFlow (`.numpy()`, `np.asarray`, `float()`...)."""

    key: Any
    how: str
    location: Location | None
    predict: "PredictCall | None" = None
    # the tf.numpy_function call whose Python function this conversion ran in
    inside_py_func: Location | None = None


@dataclass
class PredictCall:
    model_name: str
    handles: frozenset  # the predicting model's variables
    location: Location | None
    input_keys: tuple = ()  # eager tensors given to predict() (a generator's output, say)


@dataclass
class CustomGradientNone:
    function: str
    location: Location | None
    defined_at: Location | None


@dataclass
class TapeInfo:
    site: tuple
    opened_at: Location | None
    start_key: int
    watch_accessed_variables: bool = True
    watched_keys: set = field(default_factory=set)  # tensors passed to tape.watch
    graph_gradients: bool = False  # tf.gradients: no tape, every graph tensor is a source
    conversions: list[Conversion] = field(default_factory=list)
    predicts: list[PredictCall] = field(default_factory=list)
