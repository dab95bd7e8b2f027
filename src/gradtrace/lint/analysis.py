"""Static analysis of one module: where values computed from a model reach a loss.

Each function (and the module body) is read top to bottom, following which names hold
values computed from a model or a layer's weights ("connected" values). An operation
without a gradient (argmax, a cast to int, `.numpy()`, `stop_gradient`...) applied to a
connected value makes a "cut" value. At the places where a loss meets the gradient (the
target of `tape.gradient`, the return of a loss function, the output of a layer that
reads its own weights), a value that is cut and no longer connected is reported at the
cut; one connected only by a forward pass the tape did not record is reported there.

Calls into code the module defines are followed: a function or method called with
connected values is read with its parameters holding them (in the caller's recording
state, a few calls deep, each distinct call once), and what it returns flows back; a
cut inside it is reported at its own line. A functional model is followed from
`keras.Input`: a layer with weights applied to its tensors makes connected values, a
`Lambda` runs its function on them, a layer class of the module runs its `call`; a
tensor that reaches the next layer with no gradient left is reported at its cut.
Branches merge: a value counts as cut only if it is cut on every path.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace

from gradtrace.ast_scopes import walked
from gradtrace.lint.no_gradient_ops import NO_GRADIENT_FUNCTIONS

NUMPY_MODULES = {"np", "numpy", "onp"}
NONDIFFERENTIABLE = {
    "argmax", "argmin", "round", "rint", "floor", "ceil", "sign", "equal", "not_equal",
    "greater", "greater_equal", "less", "less_equal", "categorical", "multinomial",
    "one_hot", "unique", "searchsorted", "bucketize", "logical_and", "logical_or",
    "logical_not", "is_nan", "is_finite", "isnan", "isfinite", "count_nonzero",
    "argsort",  # the indices of a sort (top_k's indices): integers, no gradient
}
NO_GRADIENT_PATH = {"shape", "size", "rank", "zeros_like", "ones_like", "shape_n",
                    "get_shape", "int_shape", "ndim", "count_params"}
TF_ROOTS = {"tf", "tensorflow", "keras", "ops", "K", "backend", "math", "random", "nn"}
INTEGER_DTYPES = {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                  "bool"}
TENSOR_MAKERS = {"constant", "convert_to_tensor", "zeros", "ones", "fill", "normal",
                 "uniform", "truncated_normal", "range", "linspace", "eye", "zeros_like",
                 "ones_like", "identity", "cast", "stack", "concat", "reshape", "expand_dims"}
MODEL_CONSTRUCTORS = ("Sequential", "Model", "Functional", "load_model", "clone_model")
LAYER_BASES = ("Layer", "Model", "Sequential")
LAYER_MODULES = ("layers", "models", "keras")  # `from keras.layers import Dense`
MAX_CALL_DEPTH = 4  # calls followed into callees, nested


@dataclass(frozen=True)
class Cut:
    line: int
    col: int
    rule: str
    what: str  # the operation, in the user's words: "tf.argmax", ".numpy()"
    raw: bool = False  # of a value connected only through a module's raw variables


@dataclass(frozen=True)
class Taint:
    recorded: bool = False  # computed from a model while a tape records (or in a loss/layer)
    unrecorded: int | None = None  # line of a forward pass no tape recorded
    cuts: tuple = ()
    inputs_only: bool = False  # connected only through a layer's inputs (indices, masks...)
    # line where `model.losses` was read while no tape recorded: regularization terms that
    # Keras computes when read, constants for a tape opened afterwards
    stale_losses: int | None = None
    # a symbolic tensor of a functional model being built (from `keras.Input`): the
    # gradient is recorded later, when the model trains
    symbolic: bool = False
    # read from a module's raw tf.Variables while a tape records: connected to them, which
    # leaves a cut of a model's output on another path to the loss a cut (the variables
    # are not the model)
    raw: bool = False

    @property
    def connected(self) -> bool:
        return self.recorded or self.unrecorded is not None or self.raw

    def __or__(self, other: "Taint") -> "Taint":
        if other is CLEAN:
            return self
        if self is CLEAN:
            return other
        cuts = self.cuts + tuple(c for c in other.cuts if c not in self.cuts)
        inputs_only = (self.inputs_only or not self.connected) and (
            other.inputs_only or not other.connected) and (self.connected or other.connected)
        return Taint(self.recorded or other.recorded,
                     self.unrecorded if self.unrecorded is not None else other.unrecorded, cuts,
                     inputs_only,
                     self.stale_losses if self.stale_losses is not None else other.stale_losses,
                     self.symbolic or other.symbolic, self.raw or other.raw)


CLEAN = Taint()


@dataclass
class Diagnostic:
    rule: str
    line: int
    col: int
    function: str
    message: str
    variant: str = ""  # the cause's shape, as the catalogue names it (its own fix)
    names: list = field(default_factory=list)  # the user's names the finding is about


@dataclass
class Scope:
    """How to read one function: what it is, and what holds connected values in it."""

    name: str
    kind: str = "function"  # module | function | loss | layer_call | train_step
    traced: bool = False  # runs traced: train_step, compiled loss, @tf.function
    weight_attrs: frozenset = frozenset()  # self.<attr> holding the layer's own weights
    model_attrs: frozenset = frozenset()  # self.<attr> holding sublayers or models
    env: dict = field(default_factory=dict)
    tapes: dict = field(default_factory=dict)  # tape name -> TapeBlock
    recording: bool = False
    in_tape: bool = False
    tensors: dict = field(default_factory=dict)  # name -> line: last assigned a tensor expr
    created: dict = field(default_factory=dict)  # name -> line: tf.Variable made in this scope
    frozen: dict = field(default_factory=dict)  # "model" -> line of `model.trainable = False`
    assigned: dict = field(default_factory=dict)  # name -> the expression last assigned
    owner: ast.ClassDef | None = None  # the class of a method
    model_names: set = field(default_factory=set)  # parameters the caller gave a model
    returned: "Taint | None" = None  # what the function's returns hold (for its callers)
    # a loss given to compile() or a layer's method: code Keras runs when the model trains
    runs_in_training: bool = False
    local_names: frozenset = frozenset()  # parameters and names the function assigns
    key: int = 0  # id of the function's (or module's) node
    enclosing: tuple = ()  # keys of the scopes around it, innermost first, module last
    self_class: str = ""  # the class `self` is, in a method or a function nested in one
    captured: "Diagnostic | None" = None  # the finding on the symbolic tensors it captures


@dataclass
class TapeBlock:
    line: int
    watch_all: bool = True
    watched: set = field(default_factory=set)


def dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        parts.append(dotted(node.func) + "()")
    else:
        return ""
    return ".".join(reversed(parts))


class ModuleFacts:
    """What the whole module says: model names, loss functions, Keras version hints."""

    def __init__(self, tree: ast.Module, nodes: list[ast.AST] | None = None) -> None:
        nodes = nodes if nodes is not None else list(ast.walk(tree))
        self.models: set[str] = set()
        self.losses: set[str] = set()
        self.layer_classes: set[str] = set()
        self.classes: set[str] = set()  # every class the module defines
        self.legacy_keras = False
        self.numpy_helpers: set[str] = set()  # functions given to tf.numpy_function
        self.variables: dict[str, int] = {}  # name -> line of its tf.Variable(...)
        self.integer_variables: dict[str, int] = {}
        # name -> line: a trainable variable made by any variable maker (`K.variable`...)
        self.trainable_variables: dict[str, int] = {}
        self.compiles = False  # any .compile(...) call
        # names imported from a Keras layers or models module: `Dense`, `Sequential`
        self.imported_layers: set[str] = set()
        self.lambda_calls: list[ast.Call] = []  # `Lambda(fn)` calls
        # filled by the checker: the module's functions, layer classes and their attributes
        self.functions: dict[str, ast.AST] = {}
        self.class_defs: dict[str, ast.ClassDef] = {}
        self.class_attributes: dict[int, tuple] = {}
        self.summaries: dict[tuple, Taint] = {}  # calls followed, by callee and taints
        # names holding a functional model's symbolic tensors: (scope key, name) -> line,
        # and attributes: (class name, attribute) -> line
        self.symbolic_names: dict[tuple, int] = {}
        self.symbolic_attrs: dict[tuple, int] = {}
        self.metrics: set[str] = set()  # functions given to compile(metrics=...)
        # module-level names holding raw tf.Variables (`w = tf.Variable(...)`, a dict or a
        # list of them): read while a tape records, they are connected like a model's output
        self.variable_globals: set[str] = _variable_globals(tree)
        self.variable_readers: set[str] = set()  # filled by the checker: functions reading them
        self.graph_mode = _graph_mode(nodes)
        self.depth = 0
        assigns, calls, constants, variable_lists = [], [], [], []
        self.dtype_aliases = dtype_aliases(tree)
        for node in nodes:  # one pass, dispatching on the exact node type
            kind = type(node)
            if kind is ast.Call:
                calls.append(node)
            elif kind is ast.Assign:
                value_kind = type(node.value)
                if value_kind is ast.Call:
                    assigns.append(node)
                elif value_kind is ast.List or value_kind is ast.Tuple:
                    variable_lists.append(node)
                elif value_kind is ast.Constant:
                    constants.append(node)  # `x.trainable = False`, `environ[...] = "1"`
            elif kind is ast.ClassDef:
                self.classes.add(node.name)
                if _is_layer_class(node):
                    self.layer_classes.add(node.name)
            elif kind is ast.Import or kind is ast.ImportFrom:
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] == "tf_keras" for n in names):
                    self.legacy_keras = True
                if kind is ast.ImportFrom and node.module and "keras" in node.module and \
                        node.module.rsplit(".", 1)[-1] in LAYER_MODULES:
                    self.imported_layers.update(a.asname or a.name for a in node.names
                                                if a.name[:1].isupper())
        self.weighted_classes = _classes_with_weights(
            [n for n in nodes if type(n) is ast.ClassDef and n.name in self.layer_classes])
        self.legacy_keras = self.legacy_keras or _sets_legacy_keras(constants + calls)
        self.freezes = any(_freezes(node) for node in constants)  # `x.trainable = False`
        # the code itself says which Keras it runs under; else the setting, else Keras 3
        self.keras_stated = self.legacy_keras
        self.model_factories: set[str] = set()
        self.model_factories = _model_factories(tree, self, assigns)
        # instances of the module's own callable tf.Module subclasses: calling one is a
        # forward pass through its variables
        self.callable_modules = {n.name for n in nodes if type(n) is ast.ClassDef and any(
            dotted(b) in ("tf.Module", "tensorflow.Module") for b in n.bases)
            and _method(n, "__call__") is not None}
        self.module_instances: set[str] = set()
        for node in assigns:
            self._assignment(node, node.value, dotted(node.value.func))
        for node in calls:
            self._call(node, dotted(node.func))
        for node in variable_lists:
            self._variable_list(node)

    def _assignment(self, node: ast.Assign, call: ast.Call, callee: str) -> None:
        if self.constructs_model(call, callee):
            self.models.update(_target_names(node.targets))
        elif callee in self.callable_modules:
            self.module_instances.update(_target_names(node.targets))
        if "variable" in callee.rsplit(".", 1)[-1].lower() and _trainable(call):
            for name in _target_names(node.targets):
                self.trainable_variables[name] = node.lineno
        if callee in ("tf.Variable", "tensorflow.Variable"):
            for name in _target_names(node.targets):
                self.variables[name] = node.lineno
                if _integer_initial_value(call, self.dtype_aliases):
                    self.integer_variables[name] = node.lineno

    def _variable_list(self, node: ast.Assign) -> None:
        """`params = [tf.Variable(1), tf.Variable(2)]`: a list holding integer variables."""
        if any(type(e) is ast.Call and dotted(e.func) in ("tf.Variable", "tensorflow.Variable")
               and _integer_initial_value(e, self.dtype_aliases) for e in node.value.elts):
            for name in _target_names(node.targets):
                self.integer_variables[name] = node.lineno

    def _call(self, node: ast.Call, callee: str) -> None:
        last = callee.rsplit(".", 1)[-1]
        if last == "Lambda" and node.args:
            self.lambda_calls.append(node)
        if last in ("numpy_function", "py_function", "py_func") and node.args:
            self.numpy_helpers.update(n.id for n in ast.walk(node.args[0])
                                      if isinstance(n, ast.Name))
        elif last == "compile":
            self.compiles = True
            given = [k.value for k in node.keywords if k.arg == "loss"] + node.args[1:2]
            for value in given:  # compile(optimizer, loss) or compile(loss=...)
                self.losses.update(n.id for n in ast.walk(value) if isinstance(n, ast.Name))
            for keyword in node.keywords:
                if keyword.arg in ("metrics", "weighted_metrics"):
                    self.metrics.update(n.id for n in ast.walk(keyword.value)
                                        if isinstance(n, ast.Name))

    def constructs_model(self, call: ast.Call, name: str | None = None) -> bool:
        name = dotted(call.func) if name is None else name
        last = name.rsplit(".", 1)[-1]
        if name in self.classes:
            return name in self.layer_classes  # the module's own `class Model(object)`
        return (last in MODEL_CONSTRUCTORS or ".applications." in f".{name}."
                or ".layers." in f".{name}." or last in self.layer_classes
                or name in self.model_factories)


WEIGHT_MAKER_CALLS = ("add_weight", "Variable", "add_variable")


def _model_factories(tree: ast.Module, facts: "ModuleFacts", assigns: list) -> set[str]:
    """The module's functions whose result the module assigns and that return a model or
    a layer they construct (`def build_encoder(): ...; return keras.Model(inputs, outputs)`)."""
    called = {a.value.func.id for a in assigns if isinstance(a.value.func, ast.Name)}
    factories = set()
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef) or fn.name not in called:
            continue
        built, returned = set(), []
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and _constructs(node.value, facts):
                built |= _target_names(node.targets)
            elif isinstance(node, ast.Return) and node.value is not None:
                returned.append(node.value)
        if any(_constructs(v, facts) or (isinstance(v, ast.Name) and v.id in built)
               for v in returned):
            factories.add(fn.name)
    return factories


def _constructs(value: ast.AST, facts: "ModuleFacts") -> bool:
    """A constructor call (`keras.Model(...)`), not a layer applied (`Dense(4)(x)`)."""
    return isinstance(value, ast.Call) and not isinstance(value.func, ast.Call) and \
        facts.constructs_model(value)


def _classes_with_weights(classes: list) -> set[str]:
    """The module's layer classes that create weights, or layers of a class that does,
    or built-in layers that may have weights (any capitalised constructor whose name does
    not say it has none)."""
    uses: dict[str, set] = {}
    weighted = set()
    for cls in classes:
        names = {dotted(n.func).rsplit(".", 1)[-1] for n in walked(cls)
                 if isinstance(n, ast.Call)}
        uses[cls.name] = names
        if names & set(WEIGHT_MAKER_CALLS) or any(
                n[:1].isupper() and n not in uses and n not in WEIGHTLESS_LAYERS
                for n in names):
            weighted.add(cls.name)
    changed = True
    while changed:
        changed = False
        for name, names in uses.items():
            if name not in weighted and names & weighted:
                weighted.add(name)
                changed = True
    return weighted


WEIGHTLESS_LAYERS = {
    "Activation", "Dropout", "Flatten", "Reshape", "Permute", "RepeatVector", "Lambda",
    "Concatenate", "Add", "Multiply", "Average", "Maximum", "Minimum", "Subtract", "Dot",
    "ReLU", "LeakyReLU", "Softmax", "ELU", "Resizing", "Rescaling", "InputSpec", "Input",
    "ValueError", "TypeError", "NotImplementedError", "Attention", "Identity", "Masking"}


WEIGHTED_LAYERS = {
    "Dense", "EinsumDense", "Embedding", "LSTM", "GRU", "SimpleRNN", "LSTMCell", "GRUCell",
    "SimpleRNNCell", "CuDNNLSTM", "CuDNNGRU", "Bidirectional", "TimeDistributed", "RNN",
    "BatchNormalization", "LayerNormalization", "GroupNormalization", "MultiHeadAttention",
    "PReLU", "Sequential", "Model", "StackedRNNCells"}


def has_weights(layer: str, facts: ModuleFacts) -> bool:
    """A built-in layer known to own trainable weights, or one of the module's own
    classes (its body creates weights or weighted layers: see ModuleFacts)."""
    if layer in facts.layer_classes:
        return layer in facts.weighted_classes
    return layer in WEIGHTED_LAYERS or layer.startswith((
        "Conv", "SeparableConv", "DepthwiseConv", "LocallyConnected"))


def _is_layer_class(node: ast.ClassDef) -> bool:
    return any(dotted(base).rsplit(".", 1)[-1] in LAYER_BASES for base in node.bases)


def _trainable(call: ast.Call) -> bool:
    return not any(k.arg == "trainable" and isinstance(k.value, ast.Constant)
                   and k.value.value is False for k in call.keywords)


def integer_dtype(call: ast.Call, aliases: dict | None = None) -> bool:
    """The call's `dtype=` keyword names an integer (or boolean) dtype, itself or through
    a module-level name (`variable_dtype = tf.int32`)."""
    for keyword in call.keywords:
        if keyword.arg == "dtype":
            text = keyword.value.value if isinstance(keyword.value, ast.Constant) \
                else dotted(keyword.value)
            text = (aliases or {}).get(text, text)
            return isinstance(text, str) and text.rsplit(".", 1)[-1] in INTEGER_DTYPES
    return False


def dtype_aliases(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound to a dtype: `variable_dtype = tf.int32` (or "int32")."""
    aliases = {}
    for statement in tree.body:
        if type(statement) is ast.Assign and len(statement.targets) == 1 and \
                type(statement.targets[0]) is ast.Name:
            value = statement.value
            text = value.value if type(value) is ast.Constant else dotted(value)
            if isinstance(text, str) and text.rsplit(".", 1)[-1] in INTEGER_DTYPES | {
                    "float16", "float32", "float64", "bfloat16"}:
                aliases[statement.targets[0].id] = text
    return aliases


def _integer_initial_value(call: ast.Call, aliases: dict | None = None) -> bool:
    if not _trainable(call):
        return False
    if any(keyword.arg == "dtype" for keyword in call.keywords):
        return integer_dtype(call, aliases)
    value = call.args[0] if call.args else None
    return isinstance(value, ast.Constant) and type(value.value) is int


def _ends_with_one_unit(call: ast.Call) -> bool:
    """Sequential([..., Dense(1, ...)]): a one-unit output."""
    if not dotted(call.func).endswith("Sequential") or not call.args \
            or not isinstance(call.args[0], ast.List) or not call.args[0].elts:
        return False
    last = call.args[0].elts[-1]
    return isinstance(last, ast.Call) and dotted(last.func).endswith("Dense") and bool(
        last.args) and isinstance(last.args[0], ast.Constant) and last.args[0].value == 1


def _is_tensor_maker(call: ast.Call) -> bool:
    name = dotted(call.func)
    root, _, last = name.partition(".")
    return (root in ("tf", "tensorflow") or root in NUMPY_MODULES) and \
        name.rsplit(".", 1)[-1] in TENSOR_MAKERS | {"array", "asarray", "rand", "randn"}


def _target_names(targets) -> set[str]:
    """Names bound by assignment targets (`a`, `a, b`, `*a`), not `a.x = ` or `a[i] = `."""
    names = set()
    for target in targets:
        if isinstance(target, ast.Name):
            names.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            names |= _target_names(target.elts)
        elif isinstance(target, ast.Starred):
            names |= _target_names([target.value])
    return names


class FunctionAnalyzer:
    """Reads one function body (or the module body) in order."""

    def __init__(self, facts: ModuleFacts, scope: Scope, out: list[Diagnostic]) -> None:
        self.facts = facts
        self.scope = scope
        self.out = out

    # ---------------------------------------------------------------- reporting
    def report(self, rule: str, node_or_line, message: str, col: int = 0) -> None:
        line = getattr(node_or_line, "lineno", node_or_line)
        col = getattr(node_or_line, "col_offset", col)
        self.out.append(Diagnostic(rule, line, col, self.scope.name, message))

    def report_sink(self, taint: Taint, where: str) -> None:
        """A loss meets the gradient here: is anything left connected?"""
        if taint.recorded:
            return
        cuts = [c for c in taint.cuts if not (taint.raw and c.raw)]
        if cuts:
            cut = min(cuts, key=lambda c: (c.line, c.col))
            self.report(cut.rule, cut.line, f"{cut.what} cuts off {where}: no gradient "
                        "flows back through it.", cut.col)
        elif taint.unrecorded is not None and not taint.raw:
            self.report("GT107", taint.unrecorded,
                        "This is computed here from the model or its variables while no tape "
                        "records, and the loss uses only this result: to the tape it is a "
                        "constant, so the tape has nothing to differentiate.")

    # ----------------------------------------------------------------- statements
    def run(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        method = getattr(self, f"stmt_{type(node).__name__}", None)
        if method is not None:
            method(node)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.ev(child)
            elif isinstance(child, ast.stmt):
                self.statement(child)
            elif isinstance(child, ast.excepthandler):
                self.run(child.body)

    def stmt_If(self, node: ast.If) -> None:
        """Each branch from the same state; after it, a name holds what either branch
        left in it (a value is cut only if it is cut on every path)."""
        self.ev(node.test)
        before = dict(self.scope.env)
        self.run(node.body)
        taken = self.scope.env
        self.scope.env = dict(before)
        self.run(node.orelse)
        self.scope.env = _merged(before, taken, self.scope.env)

    def stmt_For(self, node) -> None:
        """The body may run zero times: after the loop, a name holds what it held before
        or what the body left in it."""
        items = self.ev(node.iter)
        before = dict(self.scope.env)
        for name in _target_names([node.target]):
            self.scope.env[name] = items
        self.run(node.body)
        self.scope.env = _merged(before, before, self.scope.env)
        self.run(node.orelse)

    stmt_AsyncFor = stmt_For

    def stmt_While(self, node: ast.While) -> None:
        self.ev(node.test)
        before = dict(self.scope.env)
        self.run(node.body)
        self.scope.env = _merged(before, before, self.scope.env)
        self.run(node.orelse)

    def stmt_FunctionDef(self, node) -> None:
        pass  # analysed as a scope of its own

    stmt_AsyncFunctionDef = stmt_ClassDef = stmt_FunctionDef

    def stmt_Assign(self, node: ast.Assign) -> None:
        taint = self.ev(node.value)
        if isinstance(node.value, ast.Call) and dotted(node.value.func).endswith("GradientTape"):
            for name in _target_names(node.targets):
                self.scope.tapes[name] = TapeBlock(node.lineno, _watches_all(node.value))
        for name in _target_names(node.targets):
            self.scope.env[name] = taint
            self.scope.assigned[name] = node.value
            if taint.symbolic and taint.connected:
                self.facts.symbolic_names[self.scope.key, name] = node.lineno
            else:
                self.facts.symbolic_names.pop((self.scope.key, name), None)
        if self.scope.self_class and taint.symbolic and taint.connected:
            for target in node.targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id == "self":
                    self.facts.symbolic_attrs[self.scope.self_class, target.attr] = node.lineno
        for name in _target_names(node.targets):
            if _makes_tensor(node.value):
                self.scope.tensors[name] = node.lineno
            else:
                self.scope.tensors.pop(name, None)
        if self.scope.kind != "module" and isinstance(node.value, ast.Call) and dotted(
                node.value.func) in ("tf.Variable", "tensorflow.Variable") \
                and not _integer_initial_value(node.value) and _trainable(node.value):
            for name in _target_names(node.targets):
                self.scope.created[name] = node.lineno
        if isinstance(node.targets[0], ast.Attribute) and node.targets[0].attr == "trainable" \
                and isinstance(node.value, ast.Constant):
            owner = dotted(node.targets[0].value)
            if node.value.value is False:
                self.scope.frozen[owner] = node.lineno
            else:
                self.scope.frozen.pop(owner, None)

    def stmt_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            taint = self.ev(node.value)
            for name in _target_names([node.target]):
                self.scope.env[name] = taint

    def stmt_AugAssign(self, node: ast.AugAssign) -> None:
        taint = self.ev(node.value)
        for name in _target_names([node.target]):
            self.scope.env[name] = self.scope.env.get(name, CLEAN) | taint

    def stmt_Return(self, node: ast.Return) -> None:
        if node.value is None:
            return
        taint = self.ev(node.value)
        self.scope.returned = taint if self.scope.returned is None else self.scope.returned | taint
        if self.scope.kind == "loss":
            self.report_sink(taint, "the model's output before this loss function returns")
        elif self.scope.kind == "layer_call" and taint.cuts and not taint.recorded:
            self.report_sink(taint, "this layer's output from its inputs and weights")
        elif self.scope.kind == "layer_call" and taint.inputs_only and any(
                c.rule == "GT112" for c in taint.cuts):
            # the output reaches its inputs, and its own weights only through an assignment
            self.report_sink(Taint(cuts=tuple(c for c in taint.cuts if c.rule == "GT112")),
                             "this layer's weights from its output")

    def stmt_With(self, node: ast.With) -> None:
        scope = self.scope
        saved = (scope.recording, scope.in_tape)
        for item in node.items:
            self.ev(item.context_expr)
            expr = item.context_expr
            name = dotted(expr.func) if isinstance(expr, ast.Call) else ""
            if name.endswith("GradientTape"):
                tape_name = item.optional_vars.id if isinstance(item.optional_vars,
                                                                ast.Name) else "<tape>"
                scope.tapes[tape_name] = TapeBlock(node.lineno, _watches_all(expr))
                scope.recording = scope.in_tape = True
            elif name.endswith(".stop_recording"):
                scope.recording = False
        self.run(node.body)
        scope.recording, scope.in_tape = saved

    def stmt_Expr(self, node: ast.Expr) -> None:
        self.ev(node.value)

    # --------------------------------------------------------------- expressions
    def ev(self, node: ast.AST | None) -> Taint:
        if node is None:
            return CLEAN
        method = getattr(self, f"ev_{type(node).__name__}", None)
        if method is not None:
            return method(node)
        taint = CLEAN
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                taint = taint | self.ev(child)
        return taint

    def ev_Name(self, node: ast.Name) -> Taint:
        if self.scope.runs_in_training and node.id not in self.scope.local_names:
            for key in self.scope.enclosing:
                line = self.facts.symbolic_names.get((key, node.id))
                if line is not None:
                    self.captured_symbolic(node, node.id, line)
                    break
        taint = self.scope.env.get(node.id, CLEAN)
        # a module's raw variable, unless this scope binds the name or assigned it a value
        # (`v.assign(model(x))` leaves what was assigned, cut)
        if taint is CLEAN and node.id in self.facts.variable_globals and (
                node.id not in self.scope.env if self.scope.kind != "module"
                else _holds_variable(self.scope.assigned.get(node.id))):
            return Taint(raw=True)  # the variable itself: `read` says when its value is read
        return taint

    def read(self, taint: Taint, node: ast.AST) -> Taint:
        """An operation on a module's raw variables: while no tape records, its result is a
        constant to a tape opened afterwards (in graph-mode TF1 code there is no tape)."""
        if taint.raw and not self.records() and not self.facts.graph_mode:
            return replace(taint, raw=False, unrecorded=node.lineno if taint.unrecorded is None
                           else taint.unrecorded)
        return taint

    def ev_BinOp(self, node: ast.BinOp) -> Taint:
        return self.read(self.ev(node.left) | self.ev(node.right), node)

    def ev_UnaryOp(self, node: ast.UnaryOp) -> Taint:
        return self.read(self.ev(node.operand), node)

    def records(self) -> bool:
        """Whether what this code computes is recorded for the gradient."""
        return self.scope.recording or self.scope.kind in ("loss", "layer_call")

    def captured_symbolic(self, node: ast.AST, name: str, line: int) -> None:
        """One finding per function, naming every symbolic tensor it captures."""
        if self.scope.captured is not None:
            if name not in self.scope.captured.names:
                self.scope.captured.names.append(name)
            return
        self.report("GT107", node, f"`{name}` is a symbolic tensor of the functional "
                    f"model built at line {line}, read here by `{self.scope.name}`, which runs "
                    "when the model trains: it holds no batch's values and is not part of "
                    "the step's forward pass, so Keras refuses it (or the loss gets no "
                    "gradient through it).")
        self.scope.captured = self.out[-1]
        self.scope.captured.variant, self.scope.captured.names = "captured_symbolic", [name]

    def ev_Constant(self, node) -> Taint:
        return CLEAN

    def ev_Lambda(self, node) -> Taint:
        return CLEAN

    def ev_Attribute(self, node: ast.Attribute) -> Taint:
        if self.scope.runs_in_training and self.scope.self_class and \
                isinstance(node.value, ast.Name) and node.value.id == "self":
            line = self.facts.symbolic_attrs.get((self.scope.self_class, node.attr))
            if line is not None:
                self.captured_symbolic(node, f"self.{node.attr}", line)
        if node.attr in ("shape", "dtype", "ndim", "name", "device"):
            return CLEAN
        written = self.scope.env.get(_written_variable(node) or "")
        if written is not None and isinstance(node.value, ast.Name):  # `self.canvas` assigned
            return written | (Taint(recorded=True) if node.attr in self.scope.weight_attrs
                              else CLEAN)
        if isinstance(node.value, ast.Name) and node.value.id == "self" \
                and node.attr in self.scope.weight_attrs:
            return Taint(recorded=True)
        if node.attr == "losses" and self.is_model(node.value):
            if self.scope.recording or self.scope.kind in ("loss", "layer_call"):
                return Taint(recorded=True)
            return Taint(stale_losses=node.lineno)
        return self.ev(node.value)

    def ev_Compare(self, node: ast.Compare) -> Taint:
        taint = self.ev(node.left)
        for comparator in node.comparators:
            taint = taint | self.ev(comparator)
        if isinstance(node.ops[0], (ast.Is, ast.IsNot, ast.In, ast.NotIn)):
            return CLEAN
        return self.cut(taint, node, "GT103", "A comparison")

    def cut(self, taint: Taint, node: ast.AST, rule: str, what: str) -> Taint:
        if not taint.connected:
            return taint
        if taint.inputs_only and rule in ("GT103", "GT104"):
            return CLEAN  # a layer computing indices or a mask from its inputs
        raw = not (taint.recorded or taint.unrecorded is not None)
        return Taint(cuts=taint.cuts + (Cut(node.lineno, node.col_offset, rule, what, raw),),
                     symbolic=taint.symbolic)

    def ev_Call(self, node: ast.Call) -> Taint:
        name = dotted(node.func)
        last = name.rsplit(".", 1)[-1]
        root = name.split(".", 1)[0]
        positional = [self.ev(arg) for arg in node.args]
        named = {keyword.arg or "**": self.ev(keyword.value) for keyword in node.keywords}
        args = CLEAN
        for taint in positional + list(named.values()):
            args = args | taint
        if last == "Input" and not node.args[1:]:
            return Taint(symbolic=True)  # keras.Input(shape=...): a model's input
        called = self.calls_into_module(node, positional, named, args)
        if called is not None:
            return called
        if self.is_model_call(node, name):
            self.layer_inputs(node, positional)
            return args | self.forward_pass(node)
        if isinstance(node.func, ast.Attribute):
            receiver = self.ev(node.func.value)
            if last in ("append", "extend", "insert", "add") and \
                    isinstance(node.func.value, ast.Name) and args is not CLEAN:
                # a list that collects values holds what it was given
                self.scope.env[node.func.value.id] = receiver | args
                return CLEAN
            if last == "numpy" and not node.args:
                return self.conversion(receiver, node, ".numpy()")
            if name.endswith(EAGER_CONVERSIONS) and root in ("K", "backend", "keras", "tf"):
                return self.conversion(args, node, f"{name}()")
            if last in ("predict", "predict_on_batch") and self.is_model(node.func.value):
                if self.scope.in_tape or self.scope.kind == "train_step":
                    self.report("GT102", node, f"{name}() inside the tape returns NumPy: "
                                "the tape cannot connect its result to the model's weights.")
                return CLEAN
            written = _written_variable(node.func.value)
            if last in ASSIGNMENTS and self.records() and args.connected and written:
                return self.assignment(written, args, node, name)
            if last == "watch" and node.args:
                for block in self.scope.tapes.values():
                    block.watched.update(n.id for n in ast.walk(node.args[0])
                                         if isinstance(n, ast.Name))
            if last == "minimize" and _is_optimizer(node.func.value, node):
                self.minimized(node)
                return CLEAN
            if last == "gradient" and len(node.args) >= 1 and self._is_tape(node.func.value):
                self.gradient_call(node)
                return CLEAN
            if root not in TF_ROOTS and root not in NUMPY_MODULES:
                args = args | receiver
        if root in TF_ROOTS and last in ASSIGNMENTS and ".compat.v1." in f".{name}." and \
                len(node.args) >= 3 and self.records() and positional[2].connected:
            written = _written_variable(node.args[0])  # scatter_update(ref, indices, updates)
            if written:
                return self.assignment(written, positional[2], node, name)
        if root in NUMPY_MODULES:
            return self.conversion(args, node, f"{name}()")
        if name in ("float", "int"):
            return self.conversion(args, node, f"{name}()")
        if root in TF_ROOTS or root == "self":
            if last in NO_GRADIENT_PATH:
                return CLEAN  # a shape or a fresh constant: nothing flows back through it
            op = _registered_without_gradient(name)
            if op is not None:
                return self.cut(args, node, "GT103", f"{name}() (TensorFlow's {op} op, which "
                                "has no gradient)")
            if last in NONDIFFERENTIABLE:
                return self.cut(args, node, "GT103", f"{name}()")
            if last == "cast" and _casts_to_integer(node):
                return self.cut(args, node, "GT104", f"{name}() to an integer type")
            if last == "stop_gradient":
                return self.cut(args, node, "GT105", f"{name}()")
            if last in ("numpy_function", "py_function", "py_func"):
                return self.cut(args, node, "GT106", f"{name}()")
            if last == "Variable" and (self.scope.in_tape or self.scope.kind == "train_step"):
                self.report("GT109", node, "A tf.Variable created inside the training step is "
                            "not among the variables the gradient is asked for.")
                return args
            return self.read(args, node)
        return args

    # ------------------------------------------------------ calls across functions
    def calls_into_module(self, node: ast.Call, positional: list, named: dict,
                          args: Taint) -> Taint | None:
        """What a call returns when it runs code the module defines (a function, a method,
        a Lambda's function, a layer's `call`), or applies a layer to a model's symbolic
        tensor; None for any other call."""
        func = node.func
        if isinstance(func, ast.Call) and args.symbolic:  # Dense(4)(x), Lambda(f)(x)
            self.layer_inputs(node, positional)
            return self.apply_layer(func, positional, named, args)
        reads_variables = isinstance(func, ast.Name) and func.id in self.facts.variable_readers
        given_model = any(self.is_model(a) for a in node.args)  # `loss_fn(model, x, y)`
        if not (args.connected or args.cuts or reads_variables or given_model):
            return None  # nothing flows in: the callee's own reads are not followed
        if isinstance(func, ast.Name) and func.id in self.facts.functions:
            return self.summary(self.facts.functions[func.id], node.args, positional, named)
        owner = self.scope.owner
        if owner is not None and isinstance(func, ast.Attribute) and \
                isinstance(func.value, ast.Name) and func.value.id == "self":
            method = _method(owner, func.attr)
            if method is not None and func.attr != "call":
                return self.summary(method, node.args, positional, named, owner)
        return None

    def apply_layer(self, layer: ast.Call, positional: list, named: dict,
                    args: Taint) -> Taint:
        """A layer built by `layer` applied to symbolic tensors."""
        name = dotted(layer.func)
        last = name.rsplit(".", 1)[-1]
        if last == "Lambda" and layer.args:
            function = layer.args[0]
            if isinstance(function, ast.Name):
                function = self.facts.functions.get(function.id)
            if isinstance(function, (ast.Lambda, ast.FunctionDef)):
                extra = {k.arg: CLEAN for k in layer.keywords if k.arg == "arguments"}
                return self.summary(function, [], positional[:1], extra) | Taint(symbolic=True)
            return args
        cls = self.facts.class_defs.get(last)
        if cls is not None:
            method = _method(cls, "call")
            if method is None:
                return args | Taint(recorded=True, symbolic=True)
            return self.summary(method, [], positional, named, cls, kind="layer_call") \
                | Taint(symbolic=True)
        if has_weights(last, self.facts):
            return Taint(recorded=True, symbolic=True)
        return args

    def layer_inputs(self, node: ast.Call, positional: list) -> None:
        """A symbolic tensor that no gradient reaches any more, fed to a layer or a
        model: the layers before the cut get nothing from what comes after."""
        for taint in positional:
            if taint.symbolic and taint.cuts and not taint.connected:
                self.report_sink(taint, f"the model's graph before the layer at line "
                                 f"{node.lineno}")

    def closure(self, function: ast.FunctionDef) -> dict:
        """What the names a function reads from this scope hold here."""
        stores = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)} | {
            n.id for n in ast.walk(function) if isinstance(n, ast.Name)
            and not isinstance(n.ctx, ast.Load)}
        return {n.id: self.scope.env[n.id] for n in ast.walk(function)
                if isinstance(n, ast.Name) and n.id in self.scope.env and n.id not in stores}

    def summary(self, definition, arg_nodes: list, positional: list, named: dict,
                owner: ast.ClassDef | None = None, kind: str = "function",
                closure: dict | None = None) -> Taint:
        """What `definition` returns when called with arguments holding these taints (and
        free names holding `closure`), read in the caller's recording state. Reports made
        while reading it are the callee's own lines."""
        facts = self.facts
        closure = closure or {}
        key = (id(definition), tuple(positional), tuple(sorted(named.items())),
               self.scope.recording, self.scope.traced, kind, tuple(sorted(closure.items())))
        if key in facts.summaries:
            return facts.summaries[key]
        fallback = CLEAN
        for taint in positional + list(named.values()):
            fallback = fallback | taint
        if facts.depth >= MAX_CALL_DEPTH:
            return fallback
        facts.summaries[key] = fallback  # a recursive call reads this
        params = [a.arg for a in definition.args.posonlyargs + definition.args.args]
        if owner is not None and params:
            params = params[1:]  # self
        weights, models = facts.class_attributes.get(id(owner), (frozenset(), frozenset()))
        scope = Scope(getattr(definition, "name", "<lambda>"), kind, self.scope.traced,
                      weights, models, owner=owner)
        scope.recording, scope.in_tape = self.scope.recording, self.scope.in_tape
        scope.env.update(closure)
        for param, taint in zip(params, positional):
            scope.env[param] = taint
        for param, node in zip(params, arg_nodes):
            if self.is_model(node):
                scope.model_names.add(param)
        for param, taint in named.items():
            if param != "**":
                scope.env[param] = taint
        analyzer = FunctionAnalyzer(facts, scope, self.out)
        facts.depth += 1
        try:
            if isinstance(definition, ast.Lambda):
                result = analyzer.ev(definition.body)
            else:
                analyzer.run(definition.body)
                result = scope.returned or CLEAN
        finally:
            facts.depth -= 1
        facts.summaries[key] = result
        return result

    def conversion(self, taint: Taint, node: ast.Call, what: str) -> Taint:
        computing_loss = self.scope.kind == "loss" or self.scope.in_tape
        eager_only = what == ".numpy()" or what.removesuffix("()").endswith(EAGER_CONVERSIONS)
        if taint.recorded and self.scope.traced and computing_loss and eager_only:
            self.report("GT101", node, f"{what} of a value computed from the model, in code "
                        "that TensorFlow traces: the value is symbolic, and even where it "
                        "converts, the gradient cannot follow.")
        elif self.scope.kind == "loss" and self.scope.traced and eager_only and any(
                isinstance(n, ast.Name) and n.id in self.scope.local_names
                for n in ast.walk(node)):
            # `K.get_value(y_true)` in a compiled loss: the labels are symbolic there too
            self.report("GT101", node, f"{what} of a tensor of this loss, which Keras "
                        "traces into a graph: the tensor is symbolic and holds no values, so "
                        "the conversion fails. Compute with tensor ops instead "
                        "(`tf.where(y_true > 0.5, 5.0, 0.5)`, `tf.shape(y_true)[0]`).")
            return CLEAN
        return self.cut(taint, node, "GT101", what)

    def forward_pass(self, node: ast.Call) -> Taint:
        if self.records():
            return Taint(recorded=True)
        return Taint(unrecorded=node.lineno)

    def is_model_call(self, node: ast.Call, name: str) -> bool:
        if isinstance(node.func, ast.Name) and (node.func.id in self.facts.models or (
                node.func.id in self.facts.module_instances) or (
                node.func.id == "self" and self.scope.kind == "train_step")
                or node.func.id in self.scope.model_names):
            return True
        if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == "self" and node.func.attr in self.scope.model_attrs:
            return True
        return any(k.arg == "training" for k in node.keywords) and not name.endswith(
            ("predict", "evaluate", "fit", "call"))

    def mentions(self, target: ast.AST, name: str) -> bool:
        """Whether the loss expression's names, followed back through this scope's
        assignments as far as the analysis saw them, include `name`."""
        seen, pending = set(), [target]
        while pending:
            for node in ast.walk(pending.pop()):
                if isinstance(node, ast.Name) and node.id not in seen:
                    if node.id == name:
                        return True
                    seen.add(node.id)
                    if node.id in self.scope.assigned:
                        pending.append(self.scope.assigned[node.id])
        return False

    def is_model(self, node: ast.AST) -> bool:
        """A name the module binds to a Keras model, `self` in a Model, or a model attribute."""
        if isinstance(node, ast.Name):
            return node.id in self.facts.models or node.id in self.scope.model_names or (
                node.id == "self" and self.scope.kind == "train_step")
        return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id == "self" and node.attr in self.scope.model_attrs

    def _is_tape(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id in self.scope.tapes

    def assignment(self, written: str, values: Taint, node: ast.Call, name: str) -> Taint:
        """Values written into a variable: what reads the variable back gets them cut."""
        if values.inputs_only:  # statistics of the inputs (a moving mean): nothing trains
            self.scope.env[written] = CLEAN
            return CLEAN
        cut = self.cut(values, node, "GT112", f"{name}()")
        self.scope.env[written] = cut
        return cut

    def minimized(self, node: ast.Call) -> None:
        """`optimizer.minimize(loss, var_list)`: the loss function runs under the
        optimizer's own tape; a value it only returns, or a tensor given instead of a
        function, was computed before that tape opened."""
        loss = node.args[0] if node.args else next(
            (k.value for k in node.keywords if k.arg == "loss"), None)
        var_list = node.args[1] if len(node.args) > 1 else next(
            (k.value for k in node.keywords if k.arg == "var_list"), None)
        if self.integer_sources(_source_names(var_list)):
            return
        function = loss
        if isinstance(loss, ast.Name):
            function = self.facts.functions.get(loss.id) or self.scope.assigned.get(loss.id)
        if isinstance(function, (ast.Lambda, ast.FunctionDef)):
            saved = self.scope.recording
            self.scope.recording = True
            try:
                if isinstance(function, ast.Lambda):
                    taint = self.ev(function.body)  # its free names are this scope's
                else:
                    taint = self.summary(function, [], [], {}, closure=self.closure(function))
            finally:
                self.scope.recording = saved
            found = len(self.out)
            self.report_sink(taint, "the loss that minimize() differentiates")
            for diagnostic in self.out[found:]:
                if diagnostic.rule == "GT107":
                    diagnostic.variant = "loss_callable"
            return
        taint = self.ev(loss)
        if taint.unrecorded is not None and not taint.recorded and not self.facts.graph_mode \
                and not any(
                k.arg == "tape" for k in node.keywords):
            self.report("GT107", node, "minimize() is given a loss already computed, while no "
                        "tape recorded, instead of a function that computes it: the optimizer "
                        "has nothing to differentiate.")
            self.out[-1].variant = "loss_callable"

    def integer_sources(self, names: list[str]) -> bool:
        """One finding for the integer variables among the sources, at the first one made."""
        integers = [n for n in names if n in self.facts.integer_variables]
        if not integers:
            return False
        listed = ", ".join(f"`{n}`" for n in integers)
        if len(integers) > 1:
            verb = "are integer variables"
        elif integers[0] in self.facts.variables:
            verb = "is an integer variable"
        else:
            verb = "holds integer variables"  # a list of them
        self.report("GT114", min(self.facts.integer_variables[n] for n in integers),
                    f"{listed} {verb}: "
                    "gradients exist only for floating-point ones. Give the initial value a "
                    "float dtype (`tf.Variable(1.0)`, `dtype=tf.float32`).")
        self.out[-1].names = integers
        return True

    def gradient_call(self, node: ast.Call) -> None:
        target = self.ev(node.args[0])
        if not self.scope.recording and target.recorded and _computes(node.args[0]):
            self.report("GT107", node.args[0], "The gradient's target is computed here, in the "
                        "`tape.gradient` call, after the tape stopped recording: this new "
                        "tensor has no recorded history, so its gradient is None. Compute it "
                        "inside the `with tf.GradientTape()` block.")
            return
        self.report_sink(target, "the model's output before the loss given to tape.gradient")
        if target.stale_losses is not None:
            self.report("GT107", target.stale_losses,
                        "The model's `losses` are read here, while no tape records: Keras computes the "
                        "regularization terms from the weights when they are read, so the "
                        "tape takes them as constants and the penalty trains nothing. Read "
                        "them inside the tape.")
        block = self.scope.tapes[node.func.value.id]
        sources = node.args[1] if len(node.args) > 1 else None
        for keyword in node.keywords:
            if keyword.arg == "sources":
                sources = keyword.value
        names = _source_names(sources)
        source_text = dotted(sources) if sources is not None else ""
        if source_text.endswith(".trainable_variables") or source_text.endswith(".trainable_weights"):
            owner = source_text.rsplit(".", 1)[0]
            if owner in self.scope.frozen:
                self.report("GT113", self.scope.frozen[owner], f"`{owner}.trainable = False` "
                            f"here leaves {owner}.trainable_variables empty: the gradient is "
                            "asked for nothing.")
                return
        if self.integer_sources(names):
            return
        for name, line in self.scope.created.items():
            if name not in names and name not in source_text and self.mentions(node.args[0], name):
                self.report("GT109", line, f"`{name}` is a tf.Variable created in this "
                            "function; the loss uses it, but the gradient is not asked for it.")
        if not block.watch_all and not block.watched:
            self.report("GT108", block.line, "This tape watches only what is passed to "
                        "tape.watch(), and nothing is.")
            return
        for name in names:
            # A tensor made before the tape opened; one computed inside it is recorded.
            made_before = self.scope.tensors.get(name, block.line) < block.line
            if made_before and name not in block.watched and name not in self.facts.variables \
                    and name not in self.facts.models:
                self.report("GT108", block.line, f"The gradient is asked with respect to "
                            f"`{name}`, a tensor, not a variable, and this tape never "
                            f"watches it: add `tape.watch({name})` inside the tape.")
                return


EAGER_CONVERSIONS = ("backend.get_value", "backend.eval", "backend.batch_get_value",
                     "K.get_value", "K.eval", "K.batch_get_value")  # NumPy out, eager only
ASSIGNMENTS = {"assign", "assign_add", "assign_sub", "scatter_update", "scatter_nd_update",
               "scatter_add", "scatter_sub", "scatter_nd_add", "scatter_nd_sub",
               "scatter_max", "scatter_min", "scatter_mul", "scatter_div"}


def _written_variable(target: ast.AST) -> str:
    """The variable an assignment writes, as the analysis keys it: `v`, `self.canvas`
    (also through a slice: `self.canvas[i, :].assign(...)`); "" for anything else."""
    while isinstance(target, ast.Subscript):
        target = target.value
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and \
            target.value.id == "self":
        return f"self.{target.attr}"
    return ""


def _holds_variable(value: ast.AST | None) -> bool:
    """A module-level name last assigned a tf.Variable (or never assigned in this pass)."""
    return value is None or any(isinstance(n, ast.Call) and dotted(n.func).endswith("Variable")
                                for n in ast.walk(value))


GRAPH_MODE_SIGNS = {"Session", "InteractiveSession", "disable_eager_execution",
                    "disable_v2_behavior", "placeholder", "Estimator", "EstimatorSpec",
                    "MonitoredTrainingSession", "get_global_step", "as_default"}


def _graph_mode(nodes) -> bool:
    """TF1 graph code (sessions, placeholders, estimators): a loss tensor is a graph node
    that `minimize` differentiates, and no tape is involved."""
    return any((type(n) is ast.Attribute and n.attr in GRAPH_MODE_SIGNS) or (
        type(n) is ast.Name and n.id in GRAPH_MODE_SIGNS) for n in nodes)


def _is_optimizer(receiver: ast.AST, call: ast.Call) -> bool:
    """A Keras or TensorFlow optimizer's `minimize` (not `scipy.optimize.minimize`)."""
    text = dotted(receiver)
    if text.split(".", 1)[0] in ("scipy", "optimize", "sp"):
        return False
    return "opt" in text.lower() or "Optimizer" in text or any(
        k.arg == "var_list" for k in call.keywords)


def _computes(target: ast.AST) -> bool:
    """An expression that makes a new tensor (`-loss`, `a + b`, `tf.reduce_mean(l)`)."""
    if isinstance(target, (ast.BinOp, ast.UnaryOp)):
        return True
    return isinstance(target, ast.Call) and dotted(target.func).split(".", 1)[0] in TF_ROOTS


def _merged(before: dict, one: dict, other: dict) -> dict:
    """The names of two paths from `before`: a name either path changed holds both."""
    merged = dict(other)
    for name, a in one.items():
        b = other.get(name, before.get(name, CLEAN))
        if a is not b and a != b:
            merged[name] = a | b
    for name, b in other.items():
        if name not in one:
            a = before.get(name, CLEAN)
            if a is not b and a != b:
                merged[name] = a | b
    return merged


def _method(cls: ast.ClassDef, name: str):
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name),
                None)


def _variable_globals(tree: ast.Module) -> set[str]:
    names = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
                isinstance(n, ast.Call) and dotted(n.func) in ("tf.Variable", "tensorflow.Variable")
                for n in ast.walk(statement.value)):
            names.update(_target_names(statement.targets))
    return names


def variable_readers(functions: dict, names: set[str]) -> set[str]:
    """The module's functions that read one of `names` without binding it themselves."""
    if not names:
        return set()
    readers = set()
    for name, function in functions.items():
        loads, stores = set(), {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
        for node in ast.walk(function):
            if isinstance(node, ast.Name):
                (loads if isinstance(node.ctx, ast.Load) else stores).add(node.id)
        if (loads & names) - stores:
            readers.add(name)
    return readers


def _source_names(sources: ast.AST | None) -> list[str]:
    """`x`, `[x, y]`, `(x, y)`: the names given as sources (not `model.weights`)."""
    if isinstance(sources, ast.Name):
        return [sources.id]
    if isinstance(sources, (ast.List, ast.Tuple)):
        return [n for e in sources.elts for n in _source_names(e)]
    return []


def _makes_tensor(value: ast.AST) -> bool:
    """An expression that yields a tensor, not a variable: arithmetic, tf.* ops."""
    if isinstance(value, (ast.BinOp, ast.UnaryOp)):
        return not any(isinstance(n, (ast.List, ast.Tuple)) or (isinstance(n, ast.Attribute)
                       and "variables" in n.attr or "weights" in getattr(n, "attr", ""))
                       for n in ast.walk(value))
    if isinstance(value, ast.Call):
        name = dotted(value.func)
        root, last = name.split(".", 1)[0], name.rsplit(".", 1)[-1]
        return _is_tensor_maker(value) or (root in ("tf", "tensorflow") and (
            last in NONDIFFERENTIABLE or last.startswith(("reduce_", "matmul", "add", "mul"))))
    return False


def _freezes(node: ast.Assign) -> bool:
    return node.value.value is False and any(
        isinstance(t, ast.Attribute) and t.attr == "trainable" for t in node.targets)


def _sets_legacy_keras(nodes) -> bool:
    """`os.environ["TF_USE_LEGACY_KERAS"] = "1"` (or `setdefault`, `putenv`): tf.keras is
    tf-keras, Keras 2."""
    def truthy(value) -> bool:
        return isinstance(value, ast.Constant) and str(value.value).lower() in ("1", "true")

    for node in nodes:
        if type(node) is ast.Assign and truthy(node.value) and any(
                isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant)
                and t.slice.value == "TF_USE_LEGACY_KERAS" for t in node.targets):
            return True
        if type(node) is ast.Call and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("setdefault", "putenv") and len(node.args) == 2 and \
                isinstance(node.args[0], ast.Constant) and \
                node.args[0].value == "TF_USE_LEGACY_KERAS" and truthy(node.args[1]):
            return True
    return False


def _registered_without_gradient(name: str) -> str | None:
    """The op of `tf.math.argmax`-style calls that TensorFlow's gradient registry gives no
    gradient (generated table; `stop_gradient` has its own rule)."""
    root, _, api = name.partition(".")
    if root not in ("tf", "tensorflow") or api == "stop_gradient":
        return None
    return NO_GRADIENT_FUNCTIONS.get(api)


def _watches_all(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "watch_accessed_variables" and isinstance(keyword.value, ast.Constant):
            return bool(keyword.value.value)
    return True


def _casts_to_integer(node: ast.Call) -> bool:
    dtype = node.args[1] if len(node.args) > 1 else next(
        (k.value for k in node.keywords if k.arg == "dtype"), None)
    if dtype is None:
        return False
    text = dtype.value if isinstance(dtype, ast.Constant) else dotted(dtype)
    return isinstance(text, str) and text.rsplit(".", 1)[-1] in INTEGER_DTYPES
