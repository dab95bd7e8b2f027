"""Following a value back through the user's source, for conversions no patch can see.

NumPy reads an EagerTensor through the buffer protocol in C (`np.square(t)`,
`np.mean(t)`): no Python method runs, so the recorder never sees that conversion. What
is left is evidence of two kinds: the loss given to `tape.gradient` is a NumPy value,
and the caller's frame still holds the tensors it was computed from. Reading the
assignments in the caller's function joins the two: the assignment whose expression
uses a live tensor, and produced a NumPy value, is where the values left TensorFlow.
"""
from __future__ import annotations

import ast
import linecache
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gradtrace import frames
from gradtrace.ast_scopes import own_nodes as _own_nodes
from gradtrace.findings import Location

_MAX_HOPS = 8  # assignments followed back from the loss


@dataclass
class SourceConversion:
    line: int
    tensor: Any  # the tensor the expression read (None: found in a callee, by its text)
    tensor_name: str
    expression: str
    file: str = ""  # "" for the caller's own file
    function: str = ""


def find_conversion(frame, call_line: int, is_tensor) -> SourceConversion | None:
    """The assignment, before `call_line` in `frame`'s function, that turned a tensor
    into the NumPy/Python loss passed as the first argument of the call on that line."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    if scope is None:
        return None
    target = _first_argument_name(scope, call_line)
    if target is None:
        return None
    values = {**frame.f_globals, **frame.f_locals} if frame.f_code.co_name != "<module>" \
        else frame.f_globals
    pending, seen = [(target, call_line)], set()
    for _ in range(_MAX_HOPS):
        if not pending:
            break
        name, before = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        assignment = _last_assignment(scope, name, before)
        if assignment is None:
            continue
        used = [n.id for n in ast.walk(assignment.value) if isinstance(n, ast.Name)]
        in_callee = _in_called_function(assignment.value, values)
        if in_callee is not None:
            return in_callee
        tensors = [n for n in used if n in values and is_tensor(values[n])]
        if tensors:
            return SourceConversion(assignment.lineno, values[tensors[0]], tensors[0],
                                    ast.unparse(assignment.value))
        pending.extend((n, assignment.lineno) for n in used if n in values
                       and _is_numpy_value(values[n]))
    return None


_LEAVES_TENSORFLOW = ("np.", "numpy.", "math.", "float(", "int(", ".numpy()", ".item()",
                      ".tolist()")


def _in_called_function(value: ast.AST, values: dict) -> SourceConversion | None:
    """`loss = compute_loss(...)`, where compute_loss is the user's function: the line in
    it whose value is returned and that left TensorFlow (a NumPy call, `.numpy()`, a
    Python number)."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
        return None
    function = values.get(value.func.id)
    function = getattr(function, "python_function", function)  # a tf.function's own
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    scope = _scope_of(code.co_filename, code.co_firstlineno, code.co_name)
    if scope is None or scope is _parsed(code.co_filename):
        return None
    for returned in (n for n in _own_nodes(scope) if isinstance(n, ast.Return) and n.value):
        found = _left_tensorflow_at(scope, returned)
        if found is not None:
            line, expression = found
            return SourceConversion(line, None, "", expression, code.co_filename, code.co_name)
    return None


def _left_tensorflow_at(scope: ast.AST, returned: ast.Return):
    """The line where what `returned` returns left TensorFlow, read from the text alone."""
    if isinstance(returned.value, ast.Constant) and isinstance(returned.value.value, (int, float)):
        return returned.lineno, ast.unparse(returned.value)
    expression = returned.value
    line = returned.lineno
    for _ in range(_MAX_HOPS):
        text = ast.unparse(expression)
        if any(marker in text for marker in _LEAVES_TENSORFLOW):
            return line, text
        if not isinstance(expression, ast.Name):
            return None
        assignment = _last_assignment(scope, expression.id, line)
        if assignment is None:
            return None
        expression, line = assignment.value, assignment.lineno
    return None


def numpy_results(frame, call_line: int, is_tensor):
    """Each assignment, before `call_line` in `frame`'s function, whose target now holds a
    NumPy or Python value computed from a tensor the frame still holds:
    (line, tensor, tensor's name, expression), in source order. NumPy reads tensors in C,
    so this is the only trace such a cut leaves when the loss is a tensor again."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    if scope is None:
        return []
    values = {**frame.f_globals, **frame.f_locals} if frame.f_code.co_name != "<module>" \
        else frame.f_globals
    found = []
    for node in _own_nodes(scope):
        appended = _appended(node)
        if appended is not None and node.lineno < call_line:
            node = ast.Assign(targets=[ast.Name(appended[0])], value=appended[1],
                              lineno=node.lineno)  # `history.append(float(...))`
        if not (isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
                and node.lineno < call_line):
            continue
        targets = [n for n in _assigned_names(node) if n in values]
        if not targets or not all(_is_numpy_value(values[n]) or _is_array_like(values[n])
                                  for n in targets):
            continue
        used = [n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)]
        tensors = [n for n in used if n in values and is_tensor(values[n])]
        if tensors:
            found.append((node.lineno, values[tensors[0]], tensors[0], ast.unparse(node.value)))
    return sorted(found, key=lambda item: item[0])


def _appended(node) -> tuple[str, ast.AST] | None:
    """(list name, value) of a statement `name.append(value)`."""
    call = node.value if isinstance(node, ast.Expr) else None
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
            call.func.attr == "append" and isinstance(call.func.value, ast.Name) and \
            len(call.args) == 1:
        return call.func.value.id, call.args[0]
    return None


def _is_array_like(value) -> bool:
    return type(value).__module__ == "numpy" or isinstance(value, list) and bool(value) and \
        all(_is_numpy_value(v) for v in value[:4])


def sources_line(frame, call_line: int) -> int | None:
    """The line that built the variable list given to `tape.gradient(loss, NAME)` on
    `call_line`: NAME's last assignment before it in the same function."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    if scope is None:
        return None
    name = _argument_name(scope, call_line, 1)
    assignment = _last_assignment(scope, name, call_line) if name else None
    return assignment.lineno if assignment is not None else None


def constant_target_line(frame, call_line: int) -> tuple[str, int] | None:
    """The name given as target to `tape.gradient(NAME, ...)` on `call_line`, and the line
    of its last assignment before it in the same function, when that assignment makes it
    from literals alone (`tf.constant([4.4])`)."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    name = _first_argument_name(scope, call_line) if scope is not None else None
    assignment = _last_assignment(scope, name, call_line) if name else None
    if assignment is None or not _made_from_literals(assignment.value):
        return None
    return name, assignment.lineno


_LITERAL_MAKERS = frozenset({"constant", "convert_to_tensor", "ones", "zeros", "fill", "eye",
                             "array", "asarray"})


def _made_from_literals(value: ast.AST) -> bool:
    """`[1.0]`, `tf.constant([4.4], dtype=tf.float32)`, `np.array(3.0)`: no name is read."""
    if isinstance(value, ast.Call):
        func = value.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return called in _LITERAL_MAKERS and not any(
            isinstance(n, ast.Name) for arg in value.args for n in ast.walk(arg))
    return not any(isinstance(n, (ast.Name, ast.Call)) for n in ast.walk(value))


def made_inside_with(frame, with_line: int, name: str) -> int | None:
    """The line inside the `with ...:` block opened on `with_line` (in the function of
    `frame`) that last assigns `name`: a tensor made within the tape's own block."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    if scope is None:
        return None
    for node in _own_nodes(scope):
        if isinstance(node, (ast.With, ast.AsyncWith)) and node.lineno == with_line:
            block = ast.Module(body=node.body, type_ignores=[])
            assignment = _last_assignment(block, name, (node.end_lineno or with_line) + 1)
            return assignment.lineno if assignment is not None else None
    return None


def sources_name(frame, call_line: int) -> str | None:
    """The plain name given as sources to `tape.gradient(loss, NAME)` on `call_line`."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    return _argument_name(scope, call_line, 1) if scope is not None else None


def sources_expression(frame, call_line: int) -> str | None:
    """The expression given as sources to `tape.gradient(loss, EXPR)` (`pic[0]`), or to
    `tf.gradients(loss, EXPR)`."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    return _sources_expression_in(scope, call_line)


def sources_elements(frame, call_line: int) -> list[str] | None:
    """The element expressions of a list or tuple given as sources to `tape.gradient`
    on `call_line` (`[x, a.values]`), or None when the sources are not written as one."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    for node in _own_nodes(scope) if scope is not None else ():
        if (isinstance(node, ast.Call) and node.lineno <= call_line <= (node.end_lineno or 0)
                and _called_name(node.func) in ("gradient", "gradients")
                and len(node.args) > 1 and isinstance(node.args[1], (ast.List, ast.Tuple))):
            if any(isinstance(e, ast.Starred) for e in node.args[1].elts):
                return None
            return [ast.unparse(e) for e in node.args[1].elts]
    return None


def assignment_of(frame, call_line: int, expression: str):
    """Where the code bound `expression` (a name, or `self.name`) before `call_line`: the
    assignment's line and value, searched in the calling function, then in the class of
    a method (`self.params = ...` in `__init__`) or the module (a global)."""
    tree = _parsed(frame.f_code.co_filename)
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    if tree is None or scope is None:
        return None
    if expression.isidentifier():
        found = _last_assignment(scope, expression, call_line)
        if found is None and scope is not tree and expression not in frame.f_code.co_varnames:
            found = _last_assignment(tree, expression, 10**9)
    elif expression.startswith("self.") and expression[5:].isidentifier():
        owner = _enclosing_class(tree, call_line)
        found = next((n for n in ast.walk(owner) if isinstance(n, ast.Assign)
                      and any(_is_self_attribute(t) and t.attr == expression[5:]
                              for t in n.targets)), None) if owner is not None else None
    else:
        return None
    return (found.lineno, found.value) if found is not None else None


def callee_construction(location):
    """For a call on `location`'s line of a name bound to a constructed object
    (`loss = CategoricalCrossentropy()` ... `loss(y, p)`): the binding's line and the
    constructor's name."""
    tree = _parsed(location.file) if location is not None else None
    if tree is None:
        return None
    scope = _innermost_def(tree, location.line) or tree
    for node in ast.walk(scope):
        if isinstance(node, ast.Call) and node.lineno == location.line and \
                isinstance(node.func, ast.Name):
            bound = _last_assignment(scope, node.func.id, location.line) or \
                (_last_assignment(tree, node.func.id, location.line) if scope is not tree else None)
            if bound is not None and isinstance(bound.value, ast.Call):
                return bound.lineno, _called_name(bound.value.func)
    return None


def sources_expression_at(location) -> str | None:
    """`sources_expression` for a line known by its location (a traced function's)."""
    tree = _parsed(location.file) if location is not None else None
    scope = _innermost_def(tree, location.line) if tree is not None else None
    return _sources_expression_in(scope, location.line) if scope is not None else None


def _sources_expression_in(scope, call_line: int) -> str | None:
    for node in _own_nodes(scope) if scope is not None else ():
        if (isinstance(node, ast.Call) and node.lineno <= call_line <= (node.end_lineno or 0)
                and _called_name(node.func) in ("gradient", "gradients")
                and len(node.args) > 1):
            return ast.unparse(node.args[1])
    return None


def attribute_owner(location, attribute: str) -> str | None:
    """In `model.trainable = False` on `location`'s line, the text of the object: `model`."""
    tree = _parsed(location.file) if location is not None else None
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Assign) and node.lineno == location.line:
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == attribute:
                    return ast.unparse(target.value)
    return None


def method_owner(location, method: str) -> str | None:
    """In `model.predict(...)` on `location`'s line, the text of the object: `model`."""
    tree = _parsed(location.file) if location is not None else None
    for node in ast.walk(tree) if tree is not None else ():
        if (isinstance(node, ast.Call) and node.lineno <= location.line <= (node.end_lineno or 0)
                and isinstance(node.func, ast.Attribute) and node.func.attr == method):
            return ast.unparse(node.func.value)
    return None


def _is_numpy_value(value) -> bool:
    module = type(value).__module__ or ""
    return module == "numpy" or isinstance(value, (float, int))


@lru_cache(maxsize=64)
def _parsed(filename: str) -> ast.Module | None:
    source = "".join(linecache.getlines(filename))
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _scope_of(filename: str, first_line: int, name: str) -> ast.AST | None:
    tree = _parsed(filename)
    if tree is None or name == "<module>":
        return tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            decorated = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            if first_line in (node.lineno, decorated):
                return node
    return None


def _first_argument_name(scope: ast.AST, line: int) -> str | None:
    return _argument_name(scope, line, 0)


def _argument_name(scope: ast.AST, line: int, index: int) -> str | None:
    """The name passed as argument `index` of the `.gradient(...)` call on `line`."""
    for node in _own_nodes(scope):
        if (isinstance(node, ast.Call) and node.lineno <= line <= (node.end_lineno or line)
                and isinstance(node.func, ast.Attribute) and node.func.attr == "gradient"
                and len(node.args) > index and isinstance(node.args[index], ast.Name)):
            return node.args[index].id
    return None


def _last_assignment(scope: ast.AST, name: str, before: int):
    best = None
    for node in _own_nodes(scope):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None \
                and node.lineno < before and name in _assigned_names(node):
            if best is None or node.lineno > best.lineno:
                best = node
    return best


def _assigned_names(node) -> set[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def tensor_fed_to_model(frame, watch_line: int) -> tuple[str, int] | None:
    """For `tape.watch(model.inputs)` on `watch_line`: the expression passed to `model(...)`
    in the same function, and its line, i.e. the tensor the user meant to watch."""
    code = frame.f_code
    scope = _scope_of(code.co_filename, code.co_firstlineno, code.co_name)
    if scope is None:
        return None
    owner = None
    for node in _own_nodes(scope):
        if (isinstance(node, ast.Call) and node.lineno <= watch_line <= (node.end_lineno or 0)
                and isinstance(node.func, ast.Attribute) and node.func.attr == "watch"
                and node.args and isinstance(node.args[0], ast.Attribute)
                and node.args[0].attr in ("inputs", "input")):
            owner = ast.unparse(node.args[0].value)
    if owner is None:
        return None
    calls = [node for node in _own_nodes(scope)
             if isinstance(node, ast.Call) and node.args and ast.unparse(node.func) == owner]
    if not calls:
        return None
    first = min(calls, key=lambda node: node.lineno)
    return ast.unparse(first.args[0]), first.lineno


def keyword_line(location, keyword: str):
    """`location` (a call spanning several lines) moved to the line of its `keyword=`."""
    tree = _parsed(location.file) if location is not None else None
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Call) and node.lineno == location.line:
            for given in node.keywords:
                if given.arg == keyword:
                    return type(location)(location.file, given.value.lineno, location.function)
    return location


def none_entry_line(location, key: str):
    """The line, in the function (or module) of `location`, of a dict entry `"key": None`
    (`losses = {..., "MASK": None}` given to `compile(loss=losses)`), else None."""
    tree = _parsed(location.file) if location is not None else None
    scope = (_innermost_def(tree, location.line) or tree) if tree is not None else None
    for node in ast.walk(scope) if scope is not None else ():
        if isinstance(node, ast.Dict):
            for name, value in zip(node.keys, node.values):
                if isinstance(name, ast.Constant) and name.value == key and \
                        isinstance(value, ast.Constant) and value.value is None:
                    return type(location)(location.file, name.lineno, location.function)
    return None


def enclosing_function(location) -> str:
    """The name of the `def` whose body holds `location`'s line ('' at module level):
    for a comprehension's or lambda's frame, the function the user wrote it in."""
    tree = _parsed(location.file) if location is not None else None
    best, best_start = "", -1
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.lineno <= location.line <= (node.end_lineno or 0) and node.lineno > best_start:
            best, best_start = node.name, node.lineno
    return best


def constructs_object(location) -> bool:
    """The statement at `location` calls a class (`Dense(4)`, `tf.Variable(...)`,
    `BottleNeck(...)`): by the naming convention, a capitalised callee."""
    tree = _parsed(location.file) if location is not None else None
    if tree is None:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno == location.line:
            for call in ast.walk(node):
                func = getattr(call, "func", None)
                name = getattr(func, "attr", None) or getattr(func, "id", None) or ""
                if isinstance(call, ast.Call) and name[:1].isupper():
                    return True
    return False


def makes_state(location) -> bool:
    """The statement at `location` makes a weight or a layer: `self.add_weight(...)`,
    `tf.Variable(...)`, `Dense(4)` (not a call of a layer made elsewhere)."""
    return constructs_object(location) or _calls_on_line(location, "add_weight")


def _calls_on_line(location, name: str) -> bool:
    tree = _parsed(location.file) if location is not None else None
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Call) and node.lineno == location.line and \
                _called_name(node.func) == name:
            return True
    return False


def call_line(location, names: tuple[str, ...]):
    """`location`, moved to the line of the call to one of `names` inside the statement
    that starts there (a traced op's line is its statement's first line, while the call
    may sit further down a statement that spans several lines)."""
    tree = _parsed(location.file) if location is not None else None
    if tree is None:
        return location
    for node in ast.walk(tree):
        if not (isinstance(node, ast.stmt) and node.lineno == location.line
                and (node.end_lineno or node.lineno) > node.lineno):
            continue
        for call in ast.walk(node):
            func = getattr(call, "func", None)
            name = getattr(func, "attr", None) or getattr(func, "id", None)
            if isinstance(call, ast.Call) and name in names:
                return type(location)(location.file, call.lineno, location.function)
    return location


@dataclass
class GuardedUse:
    """The only uses of a value sit under a statement that did not make them count."""

    name: str  # `normalized_alpha_p`, `self.projector`
    use_line: int
    guard_line: int  # the `for`, `while` or `if` around the first use
    guard: str  # "for", "while", "if"


_GUARDS = {ast.For: "for", ast.While: "while", ast.If: "if"}


def guarded_use(location) -> GuardedUse | None:
    """For the value assigned on `location`'s line (`x = f(v)`, `self.w = add_weight()`),
    its first later use when every use lies under a `for`, `while` or `if` that does not
    hold the assignment: a value that never reached the loss was used only there."""
    tree = _parsed(location.file) if location is not None else None
    if tree is None:
        return None
    scope = _innermost_def(tree, location.line)
    assignment = next((n for n in ast.walk(scope or tree) if isinstance(n, ast.Assign)
                       and n.lineno == location.line), None)
    if assignment is None or len(assignment.targets) != 1:
        return None
    target = assignment.targets[0]
    if isinstance(target, ast.Name) and scope is not None:
        uses = [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == target.id
                and isinstance(n.ctx, ast.Load) and n.lineno > location.line]
        name, where = target.id, scope
    elif _is_self_attribute(target):
        where = _enclosing_class(tree, location.line)
        uses = [n for n in ast.walk(where) if _is_self_attribute(n) and n.attr == target.attr
                and isinstance(n.ctx, ast.Load)] if where is not None else []
        name = f"self.{target.attr}"
    else:
        return None
    guards = [_guard_of(where, use, location.line) for use in uses]
    if not uses or any(g is None for g in guards):
        return None
    first = min(range(len(uses)), key=lambda i: uses[i].lineno)
    return GuardedUse(name, uses[first].lineno, guards[first].lineno, _GUARDS[type(guards[first])])


def dropped_result(location) -> str | None:
    """The name assigned on `location`'s line (`u3 = self.up_conv2(u3)`) when the function
    never reads it afterwards (nor, inside a loop, anywhere in that loop): a result
    computed and then dropped."""
    tree = _parsed(location.file) if location is not None else None
    scope = _innermost_def(tree, location.line) if tree is not None else None
    if scope is None:
        return None
    assignment = next((n for n in ast.walk(scope) if isinstance(n, (ast.Assign, ast.AnnAssign))
                       and n.lineno == location.line), None)
    targets = getattr(assignment, "targets", None) or [getattr(assignment, "target", None)]
    if assignment is None or len(targets) != 1 or not isinstance(targets[0], ast.Name):
        return None
    name = targets[0].id
    loops = [n for n in ast.walk(scope) if isinstance(n, (ast.For, ast.While))
             and n.lineno <= location.line <= (n.end_lineno or 0)]
    after = min([location.line + 1] + [loop.lineno for loop in loops])
    read = any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
               and n.lineno >= after and n.lineno != location.line for n in ast.walk(scope))
    return None if read else name


def unread_descendants(location) -> list[tuple[str, int]]:
    """The names that what `location`'s line assigns flows into, statement by statement
    in the same function (`x = f(l0)`, then `outputs, h, c = self.lstm(x)`, then
    `states = [h, c]`), that nothing reads afterwards: (name, line), in line order. Empty
    inside a loop, where a later iteration may read them."""
    tree = _parsed(location.file) if location is not None else None
    scope = _innermost_def(tree, location.line) if tree is not None else None
    if scope is None or any(isinstance(n, (ast.For, ast.While)) and n.lineno <= location.line
                            <= (n.end_lineno or 0) for n in _own_nodes(scope)):
        return []
    assignments = sorted((n for n in _own_nodes(scope) if isinstance(n, ast.Assign)),
                         key=lambda n: n.lineno)
    first = next((n for n in assignments if n.lineno <= location.line <= (n.end_lineno or n.lineno)), None)
    if first is None:
        return []
    made = {name: first.lineno for name in _assigned_names(first)}
    for node in assignments:
        if node.lineno > first.lineno and {n.id for n in ast.walk(node.value)
                                           if isinstance(n, ast.Name)} & set(made):
            made.update({name: node.lineno for name in _assigned_names(node)})
    loads = [n for n in _own_nodes(scope) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return sorted(((name, line) for name, line in made.items()
                   if not any(n.id == name and n.lineno > line for n in loads)),
                  key=lambda item: item[1])


def calls_without_keyword(location, after: int, keyword: str) -> list[int]:
    """The lines after `after`, in `location`'s function, that call something without
    passing `keyword=`."""
    tree = _parsed(location.file) if location is not None else None
    scope = _innermost_def(tree, location.line) if tree is not None else None
    if scope is None:
        return []
    return sorted({n.lineno for n in _own_nodes(scope) if isinstance(n, ast.Call)
                   and n.lineno > after and not any(k.arg == keyword for k in n.keywords)})


_SINGULAR_CALLS = frozenset({"divide", "true_divide", "log", "log2", "log10", "sqrt",
                             "reciprocal", "power", "arccos", "arcsin"})


def made_line(location, name: str, key: str | None = None) -> Location | None:
    """The statement before `location` in its function that makes `name` (or
    `name[key]`): the last one with a division, log or sqrt (where a NaN is born), else
    the last one; through one call of the user's function that returns it
    (`x = self._normalize()`)."""
    tree = _parsed(location.file) if location is not None else None
    if tree is None:
        return None
    scope = _innermost_def(tree, location.line) or tree
    statement = _making_statement(scope, name, key, location.line)
    if statement is None:
        return None
    if not _may_make_nan(statement) and isinstance(statement.value, ast.Call):
        inner = _returning_function(tree, scope, statement.value)
        if inner is not None:
            function, returned = inner
            deeper = _making_statement(function, returned, None, function.end_lineno or 10**9)
            if deeper is not None:
                return type(location)(location.file, deeper.lineno, function.name)
    return type(location)(location.file, statement.lineno,
                          getattr(scope, "name", "<module>"))


def _making_statement(scope, name: str, key: str | None, before: int):
    def assigns(node) -> bool:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if key is not None and isinstance(target, ast.Subscript) and \
                    isinstance(target.value, ast.Name) and target.value.id == name and \
                    isinstance(target.slice, ast.Constant) and target.slice.value == key:
                return True
            if key is None and isinstance(target, ast.Name) and target.id == name:
                return True
        return False

    made = sorted((n for n in _own_nodes(scope) if isinstance(n, (ast.Assign, ast.AugAssign))
                   and n.lineno <= before and n.value is not None and assigns(n)),
                  key=lambda n: n.lineno)
    if not made and key is not None:
        return _making_statement(scope, name, None, before)
    singular = [n for n in made if _may_make_nan(n)]
    return (singular or made or [None])[-1]


def _may_make_nan(statement) -> bool:
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, (ast.Div, ast.Pow)):
        return True
    return any((isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Div, ast.Pow))) or (
        isinstance(n, ast.Call) and _called_name(n.func) in _SINGULAR_CALLS)
        for n in ast.walk(statement.value))


def _returning_function(tree, scope, call: ast.Call):
    """(the user's function that `call` calls, the name it returns), for `f(...)` of a
    module function or `self.f(...)` of a method of the same class."""
    name = _called_name(call.func)
    if _is_self_attribute(call.func):
        holder = _enclosing_class(tree, call.lineno)
        defs = [n for n in (holder.body if holder is not None else [])
                if isinstance(n, ast.FunctionDef) and n.name == name]
    elif isinstance(call.func, ast.Name):
        defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name]
    else:
        return None
    if len(defs) != 1:
        return None
    returns = [n for n in _own_nodes(defs[0]) if isinstance(n, ast.Return)]
    if len(returns) == 1 and isinstance(returns[0].value, ast.Name):
        return defs[0], returns[0].value.id
    return None


def flows_out(location) -> bool:
    """Whether what `location`'s line assigns is handed back to the caller as it is: a
    `return` later in the same block returns it, directly or packed with others
    (`outputs = (sequence, pooled)`; `return outputs`), with no branch in between. Only
    packing counts: `outputs[0]` or `f(outputs)` may leave it behind."""
    tree = _parsed(location.file) if location is not None else None
    scope = _innermost_def(tree, location.line) if tree is not None else None
    block, index = _statement_at(scope, location.line) if scope is not None else (None, None)
    if block is None:
        return False
    statement = block[index]
    if isinstance(statement, ast.Return):
        return True
    tracked = _assigned_names(statement) if isinstance(statement, ast.Assign) else set()
    for later in block[index + 1:]:
        if not tracked:
            return False
        if isinstance(later, ast.Return):
            return later.value is not None and _packs(later.value, tracked)
        if isinstance(later, ast.Assign):
            targets = _assigned_names(later)
            tracked = (tracked | targets) if _packs(later.value, tracked) else (tracked - targets)
        elif not isinstance(later, (ast.Expr, ast.AugAssign, ast.AnnAssign, ast.Pass)):
            return False  # a branch or a loop: what follows may not run
    return False


def _packs(value, names: set[str]) -> bool:
    """`value` is one of `names`, or a tuple or list literal holding one."""
    if isinstance(value, ast.Name):
        return value.id in names
    if isinstance(value, (ast.Tuple, ast.List)):
        return any(_packs(element, names) for element in value.elts)
    if isinstance(value, ast.Starred):
        return _packs(value.value, names)
    return False


def _statement_at(scope, line: int):
    """The statement list of `scope` (or of a block nested in it) holding the statement
    that spans `line`, and its index there."""
    for node in ast.walk(scope):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for index, statement in enumerate(block):
                if isinstance(statement, ast.stmt) and statement.lineno <= line <= (
                        statement.end_lineno or statement.lineno) and not hasattr(statement, "body"):
                    return block, index
    return None, None


def rebinding_update(frame, name: str) -> int | None:
    """The line in `frame`'s function that rebinds `name` to an expression of itself
    (`w = w - lr * dw`, `w -= lr * dw`): done to a tf.Variable, it leaves a plain tensor."""
    scope = _scope_of(frame.f_code.co_filename, frame.f_code.co_firstlineno,
                      frame.f_code.co_name)
    for node in sorted(_own_nodes(scope), key=lambda n: getattr(n, "lineno", 0)) if scope else ():
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and \
                node.target.id == name:
            return node.lineno
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name) and node.targets[0].id == name and \
                any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.value)):
            return node.lineno
    return None


def constructor_line(location, class_name: str, ordinal: int) -> int | None:
    """In the statement at `location` (`keras.Sequential([...])` over several lines), the
    line of the `ordinal`-th call of `class_name` (`Dense(...)`): where that layer is
    written, when all the layers were built on the statement's first line."""
    tree = _parsed(location.file) if location is not None else None
    if tree is None:
        return None
    statement = next((n for n in ast.walk(tree) if isinstance(n, ast.stmt)
                      and n.lineno == location.line), None)
    if statement is None:
        return None
    calls = sorted((n for n in ast.walk(statement) if isinstance(n, ast.Call)
                    and _called_name(n.func) == class_name), key=lambda n: (n.lineno, n.col_offset))
    return calls[ordinal].lineno if ordinal < len(calls) else None


def _called_name(func) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _is_self_attribute(node) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
        node.value.id == "self"


def _innermost_def(tree, line: int):
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.lineno <= line <= (node.end_lineno or 0):
            if best is None or node.lineno > best.lineno:
                best = node
    return best


def _enclosing_class(tree, line: int):
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.lineno <= line <= (node.end_lineno or 0):
            if best is None or node.lineno > best.lineno:
                best = node
    return best


def _guard_of(scope, use, assigned_line: int):
    """The innermost `for`/`while`/`if` of `scope` whose body holds `use` and not the
    assignment; None when the use is not under one."""
    best = None
    for node in ast.walk(scope):
        if type(node) in _GUARDS and node.body and \
                node.body[0].lineno <= use.lineno <= (node.end_lineno or 0) and \
                not (node.lineno <= assigned_line <= (node.end_lineno or 0)):
            if best is None or node.lineno > best.lineno:
                best = node
    return best


@dataclass
class UnreadResult:
    """A name assigned on a line that nothing reads afterwards, or that is only passed to
    functions of the file that never read the parameter it becomes."""
    name: str
    callee: str = ""  # the function that ignores it
    parameter: str = ""  # the parameter it binds there
    passed_line: int = 0  # where it is passed
    ignored_at: int = 0  # the callee's `return` (its `def` when it has several)


def unread_results(location) -> list[UnreadResult]:
    """The names assigned on `location`'s line (`h, y_pred = model(x)`) whose values go
    nowhere: never read after the line (nor, inside a loop, anywhere in that loop), or
    read only as an argument of a function written in the file whose body never reads
    that parameter (`loss_fn(y, y_pred, h)` where `loss_fn` returns `sum(h)`)."""
    tree = _parsed(location.file) if location is not None else None
    if tree is None:
        return []
    scope = _innermost_def(tree, location.line) or tree
    assignment = next((n for n in _own_nodes(scope) if isinstance(n, ast.Assign)
                       and n.lineno == location.line), None)
    if assignment is None:
        return []
    loops = [n for n in _own_nodes(scope) if isinstance(n, (ast.For, ast.While))
             and n.lineno <= location.line <= (n.end_lineno or 0)]
    after = min([location.line + 1] + [loop.lineno for loop in loops])
    found = []
    for name in sorted(_assigned_names(assignment)):
        # (in a function, a closure reading the name counts; at module level, a function's
        # own variable of that name does not)
        nodes = _own_nodes(scope) if scope is tree else ast.walk(scope)
        loads = [n for n in nodes if isinstance(n, ast.Name) and n.id == name
                 and isinstance(n.ctx, ast.Load) and n.lineno >= after
                 and n.lineno != location.line]
        if not loads:
            found.append(UnreadResult(name))
            continue
        ignored = [_ignoring_callee(tree, scope, load) for load in loads]
        if all(ignored):
            found.append(UnreadResult(name, *ignored[0]))
    return found


def _is_method(tree, function: ast.FunctionDef) -> bool:
    return any(isinstance(n, ast.ClassDef) and function in n.body for n in ast.walk(tree))


def _ignoring_callee(tree, scope, load: ast.Name):
    """(function name, parameter, call line, its return line) when `load` is an argument of a call
    to a function of this file (or a method of the class `scope` is in, via `self.`)
    that never reads the parameter the argument binds; else None."""
    call = next((n for n in _own_nodes(scope) if isinstance(n, ast.Call)
                 and (load in n.args or any(k.value is load for k in n.keywords))), None)
    if call is None:
        return None
    name = _called_name(call.func)
    method = _is_self_attribute(call.func)
    if not name or not (method or isinstance(call.func, ast.Name)):
        return None
    layer_call = False
    if method:  # a method of the class the call is in
        holder = _enclosing_class(tree, call.lineno)
        defs = [n for n in (holder.body if holder is not None else [])
                if isinstance(n, ast.FunctionDef) and n.name == name]
        if not defs and holder is not None:  # `self.decoder(x)`: the layer's own `call`
            layer_class, defs = _layer_call_of(tree, holder, name)
            layer_call = True
            name = f"{layer_class}.{defs[0].name}" if defs else name
    else:  # a function of the module, or one nested in a function around the call
        defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name
                and not _is_method(tree, n)]
    if len(defs) != 1:
        return None
    callee = defs[0]
    arguments = callee.args
    if arguments.vararg or arguments.kwarg:
        return None
    params = [a.arg for a in arguments.posonlyargs + arguments.args][1 if method else 0:]
    if load in call.args:
        index = call.args.index(load)
        if index >= len(params) or any(isinstance(a, ast.Starred) for a in call.args[:index]):
            return None
        param = params[index]
    else:
        param = next(k.arg for k in call.keywords if k.value is load)
    if any(isinstance(n, ast.Name) and n.id == param and isinstance(n.ctx, ast.Load)
           for n in ast.walk(callee)):  # (a nested function reading it counts)
        return None
    returns = [n for n in _own_nodes(callee) if isinstance(n, ast.Return)]
    return (name if layer_call else callee.name, param, call.lineno,
            returns[0].lineno if len(returns) == 1 and not layer_call else callee.lineno)


def _layer_call_of(tree, holder: ast.ClassDef, attribute: str) -> tuple[str, list]:
    """(class name, [its `call`, `forward` or `__call__`]) of the class of this file that
    `holder` stores in `self.<attribute>` (`self.decoder = Decoder(config)`); else ("", [])."""
    made = {_called_name(n.value.func) for n in ast.walk(holder) if isinstance(n, ast.Assign)
            and isinstance(n.value, ast.Call) and any(
                _is_self_attribute(t) and t.attr == attribute for t in n.targets)}
    classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name in made]
    if len(made) != 1 or len(classes) != 1:
        return "", []
    methods = {n.name: n for n in classes[0].body if isinstance(n, ast.FunctionDef)}
    found = next((methods[m] for m in ("call", "forward", "__call__") if m in methods), None)
    return (classes[0].name, [found]) if found is not None else ("", [])


@dataclass
class AttributeUse:
    """How a class's own code uses `self.<name>`."""
    made_at: int = 0  # the `__init__`/`build` line that assigns (or appends to) it
    read_elsewhere: bool = False  # read by a method other than `__init__` and `build`


def attribute_use(cls, name: str) -> AttributeUse | None:
    """`self.<name>` in the source of `cls` and of the classes of the user's it derives
    from; None when no source is found."""
    use, found = AttributeUse(), False
    for klass in cls.__mro__:
        node, filename = _class_node(klass)
        if node is None:
            continue
        found = True
        for method in (n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            setup = method.name in ("__init__", "build")
            for attribute in ast.walk(method):
                if not (_is_self_attribute(attribute) and attribute.attr == name):
                    continue
                if not setup and isinstance(attribute.ctx, ast.Load):
                    use.read_elsewhere = True
                elif setup and not use.made_at:
                    use.made_at = attribute.lineno
    return use if found else None


def _class_node(klass):
    """The ClassDef of `klass` in its file, when that file is the user's. Found from the
    code of its methods (a script's `__main__` module may be gone by the end of a run)."""
    codes = [getattr(v, "__code__", None) for v in vars(klass).values()]
    code = next((c for c in codes if c is not None), None)
    if code is None or not frames.is_user_file(code.co_filename):
        return None, None
    tree = _parsed(code.co_filename)
    node = next((n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)
                 and n.name == klass.__name__
                 and n.lineno <= code.co_firstlineno <= (n.end_lineno or 0)),
                None) if tree is not None else None
    return node, code.co_filename


def class_line(klass) -> Location | None:
    """Where the user's code defines `klass` (its `class` statement)."""
    node, filename = _class_node(klass)
    return Location(filename, node.lineno, "<module>") if node is not None else None


def method_line(cls, method: str) -> Location | None:
    """Where `cls` (or the first class of the user's it derives from) defines `method`."""
    function = getattr(cls, method, None)
    code = getattr(function, "__code__", None)
    if code is None or not frames.is_user_file(code.co_filename):
        return None
    return Location(code.co_filename, code.co_firstlineno, method)


def attribute_reads(made_at) -> tuple[str, list[int]]:
    """For a line that makes `self.<name> = ...` (an `add_weight` in `build`): the name,
    and the lines of the class's other methods that read `self.<name>`."""
    tree = _parsed(made_at.file) if made_at is not None else None
    klass = _enclosing_class(tree, made_at.line) if tree is not None else None
    if klass is None:
        return "", []
    assignment = next((n for n in ast.walk(klass) if isinstance(n, ast.Assign)
                       and n.lineno == made_at.line), None)
    targets = [t for t in getattr(assignment, "targets", []) if _is_self_attribute(t)]
    if len(targets) != 1:
        return "", []
    name = targets[0].attr
    lines = sorted({n.lineno for method in klass.body
                    if isinstance(method, ast.FunctionDef) and method.name not in ("__init__", "build")
                    for n in ast.walk(method) if _is_self_attribute(n) and n.attr == name
                    and isinstance(n.ctx, ast.Load)})
    return name, lines


@dataclass
class OverwrittenWeight:
    """`self.<attribute> = self.add_weight(...)`, then `self.<attribute> = <expression of
    self.<attribute>>` in the same `build`/`__init__`."""
    attribute: str
    weight_name: str  # add_weight's `name=`, or the attribute
    made_line: int
    overwritten: Location


def overwritten_weights(cls) -> list[OverwrittenWeight]:
    found = []
    for klass in cls.__mro__:
        node, filename = _class_node(klass)
        if node is None:
            continue
        for method in (n for n in node.body if isinstance(n, ast.FunctionDef)
                       and n.name in ("__init__", "build")):
            found += _overwritten_in(method, filename)
    return found


def overwritten_weight_at(made_at) -> OverwrittenWeight | None:
    """The overwriting of the weight that `add_weight` made at `made_at`, if any."""
    tree = _parsed(made_at.file) if made_at is not None else None
    method = _innermost_def(tree, made_at.line) if tree is not None else None
    if method is None or method.name not in ("__init__", "build"):
        return None
    return next((w for w in _overwritten_in(method, made_at.file)
                 if w.made_line == made_at.line), None)


def _overwritten_in(method, filename: str) -> list[OverwrittenWeight]:
    found, made = [], {}
    for statement in sorted((n for n in ast.walk(method) if isinstance(n, ast.Assign)
                             and len(n.targets) == 1 and _is_self_attribute(n.targets[0])),
                            key=lambda n: n.lineno):
        attribute = statement.targets[0].attr
        call = next((n for n in ast.walk(statement.value) if isinstance(n, ast.Call)
                     and _called_name(n.func) == "add_weight"), None)
        if call is not None:  # (or a list of weights made by a comprehension)
            named = next((k.value.value for k in call.keywords if k.arg == "name"
                          and isinstance(k.value, ast.Constant)), attribute)
            made[attribute] = (statement.lineno, str(named))
        elif attribute in made and any(_is_self_attribute(n) and n.attr == attribute
                                       for n in ast.walk(statement.value)):
            line, named = made.pop(attribute)
            found.append(OverwrittenWeight(attribute, named, line, Location(
                filename, statement.lineno, method.name)))
    return found


def returned_position(location) -> int | None:
    """Where in the function's `return a, b` the name that `location`'s line assigns is
    (`pooled = self.pooler(h)` ... `return h, pooled`: 1)."""
    tree = _parsed(location.file) if location is not None else None
    scope = _innermost_def(tree, location.line) if tree is not None else None
    block, index = _statement_at(scope, location.line) if scope is not None else (None, None)
    if block is None or not isinstance(block[index], ast.Assign):
        return None
    names = _assigned_names(block[index])
    returned = next((s for s in block[index + 1:] if isinstance(s, ast.Return)), None)
    if returned is None or not isinstance(returned.value, ast.Tuple):
        return None
    return next((i for i, element in enumerate(returned.value.elts)
                 if isinstance(element, ast.Name) and element.id in names), None)


@dataclass(frozen=True)
class ResultUse:
    """How the line that applies a layer uses its (tuple) result: `kind` is "index" (it,
    or the name it is bound to, is only ever indexed with `element`, on `line`), "unpack"
    (`a, b = layer(x)`: `unused` holds the positions whose names nothing reads) or
    "return" (`return layer(x)`: passed on whole to the caller)."""

    kind: str
    line: int
    element: int | None = None
    unused: tuple = ()


def result_use(location) -> ResultUse | None:
    """What `location`'s line (a call of a layer) does with the call's result, when it
    is one of the shapes above; None when it keeps the whole result some other way."""
    tree = _parsed(location.file) if location is not None else None
    if tree is None:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and node.lineno == location.line and \
                isinstance(node.value, ast.Call) and _constant_index(node) is not None:
            return ResultUse("index", location.line, _constant_index(node))
    scope = _innermost_def(tree, location.line) or tree
    block, index = _statement_at(scope, location.line)
    statement = block[index] if block is not None else None
    if isinstance(statement, ast.Return) and isinstance(statement.value, ast.Call):
        return ResultUse("return", location.line)
    if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
            and len(statement.targets) == 1):
        return None
    target = statement.targets[0]
    if isinstance(target, ast.Tuple):
        names = [e.id if isinstance(e, ast.Name) else None for e in target.elts]
        read = _names_read_after(scope, statement)
        unused = tuple(i for i, n in enumerate(names) if n is not None and n not in read)
        return ResultUse("unpack", location.line, unused=unused)
    if isinstance(target, ast.Name):
        return _indexed_only(scope, statement, target.id)
    return None


def returns_attribute_call(code, attribute: str) -> bool:
    """The function of `code` returns `self.<attribute>(...)` whole."""
    scope = _scope_of(code.co_filename, code.co_firstlineno, code.co_name)
    return scope is not None and any(
        isinstance(n, ast.Return) and isinstance(n.value, ast.Call) and
        isinstance(n.value.func, ast.Attribute) and n.value.func.attr == attribute and
        isinstance(n.value.func.value, ast.Name) and n.value.func.value.id == "self"
        for n in ast.walk(scope))


def calls_nested_attribute(location) -> bool:
    """`location`'s line calls a layer reached through another object's attribute
    (`self.backbone.token_embedding(ids)`, `model.layers[0](x)`)."""
    tree = _parsed(location.file) if location is not None else None
    if tree is None:
        return False
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.lineno == location.line):
            continue
        func = node.func
        if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Attribute):
            return True  # model.layers[0](x)
        if isinstance(func, ast.Attribute) and isinstance(func.value, (ast.Attribute, ast.Subscript)) \
                and _chain_root(func) == "self":
            return True  # self.backbone.token_embedding(ids), not tf.nn.softmax(x)
    return False


def _chain_root(node) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def _constant_index(node: ast.Subscript) -> int | None:
    if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int):
        return node.slice.value
    return None


def _names_read_after(scope, statement) -> set[str]:
    return {n.id for n in ast.walk(scope) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Load) and n.lineno > (statement.end_lineno or 0)}


def _indexed_only(scope, statement, name: str) -> ResultUse | None:
    """`outputs = bert(x)` and every later read of `outputs` is `outputs[k]`, one k."""
    subscripts = {id(n.value): n for n in ast.walk(scope) if isinstance(n, ast.Subscript)
                  and isinstance(n.value, ast.Name) and n.value.id == name}
    reads = [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == name and
             isinstance(n.ctx, ast.Load) and n.lineno > (statement.end_lineno or 0)]
    elements = {_constant_index(subscripts[id(n)]) if id(n) in subscripts else None
                for n in reads}
    if not reads or len(elements) != 1 or None in elements:
        return None
    return ResultUse("index", min(n.lineno for n in reads), elements.pop())


def function_line(location) -> int | None:
    """The `def` line of the function that `location` is in."""
    tree = _parsed(location.file) if location is not None else None
    scope = _innermost_def(tree, location.line) if tree is not None else None
    return scope.lineno if scope is not None and not scope.decorator_list else None
