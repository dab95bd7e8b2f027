"""Remake the linter's table of TensorFlow functions without a gradient, from the installed
TensorFlow's own gradient registry.

    python tools/no_gradient_ops.py     # writes src/gradtrace/lint/no_gradient_ops.py

An op has no gradient when TensorFlow registers it as not differentiable
(`ops.NotDifferentiable`), registers a gradient function that only returns None
(`_ArgMaxGrad`), or registers nothing at all (`tf.image.hsv_to_rgb`: LookupError). A public
function maps to such an op when it is the op's generated wrapper, or a wrapper whose every
op call is to ops without a gradient, with no arithmetic or other op in between (so that
`tf.random.normal`, a sampled value plus a differentiable mean, is not listed).
"""
from __future__ import annotations

import ast
import inspect
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "src" / "gradtrace" / "lint" / "no_gradient_ops.py"

# Namespaces whose functions never take a model's float values on the way to a loss
# (files, strings, tables, summaries, distribution), or are not public API.
SKIPPED = ("compat", "raw_ops", "keras", "estimator", "debugging", "summary", "io", "lookup",
           "queue", "data", "strings", "saved_model", "tpu", "distribute", "experimental",
           "audio", "quantization", "config", "sysconfig", "test", "profiler", "autograph",
           "feature_column", "train", "version", "errors", "tools", "mlir", "types", "dtypes")
# Functions of no value to a loss: no-ops, clocks, shapes and fresh random draws.
NOT_VALUES = re.compile(r"(^|\.)(no_op|timestamp|check_pinned|print|shape_n|"
                        r"broadcast_dynamic_shape|random_index_shuffle|sobol_sample|"
                        r"\w*candidate_sampler|compute_accidental_hits|decode_\w+|encode_\w+|"
                        r"extract_jpeg_shape|\w*bounding_box\w*|draw_bounding_boxes|"
                        r"ragged_fill_empty_rows_grad|as_string|fingerprint)$")
# Calls inside a wrapper that only convert or describe its input.
NEUTRAL_CALLS = {"convert_to_tensor", "convert_image_dtype", "name_scope", "shape", "rank",
                 "get_shape", "with_rank", "with_rank_at_least", "constant", "as_dtype",
                 "internal_convert_to_tensor", "deprecated_argument_lookup",
                 "is_compatible_with", "assert_proper_iterable"}
OP_MODULES = {"math_ops", "array_ops", "nn_ops", "nn_impl", "clip_ops", "image_ops",
              "random_ops", "array_ops_stack", "sort_ops", "special_math_ops", "linalg_ops",
              "control_flow_ops", "tensor_util", "nn", "math"}


def _snake(op: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2",
                  re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", op)).lower()


def _returns_only_none(function) -> bool:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return False

    def none(value) -> bool:
        return value is None or (isinstance(value, ast.Constant) and value.value is None) or (
            isinstance(value, (ast.List, ast.Tuple)) and all(none(e) for e in value.elts)) or (
            isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult) and none(value.left))

    returns = [n for n in ast.walk(tree) if isinstance(n, ast.Return)]
    return bool(returns) and all(none(r.value) for r in returns)


def ops_without_gradient() -> set[str]:
    import tensorflow as tf
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry._registry
    raw = {name for name in dir(tf.raw_ops) if not name.startswith("_")}
    return {op for op, entry in registry.items()
            if entry["type"] is None or _returns_only_none(entry["type"])} | (raw - set(registry))


def _op_of(function, by_snake: dict, no_gradient: set) -> str | None:
    """The op without a gradient that `function` returns the result of, or None."""
    if ".gen_" in (getattr(function, "__module__", "") or ""):
        op = by_snake.get(function.__name__)
        return op if op in no_gradient else None
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return None
    made = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) or (isinstance(node, ast.Name) and node.id == "custom_gradient"):
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name):
            owner, called = node.func.value.id, node.func.attr
            if re.fullmatch(r"gen_\w+_ops", owner):
                made.append(by_snake.get(called))
            elif owner in OP_MODULES and called not in NEUTRAL_CALLS:
                return None
    return made[-1] if made and all(op in no_gradient for op in made) else None


def generate() -> dict[str, str]:
    """{public name without `tf.` ("math.argmax"): op type ("ArgMax")}."""
    import tensorflow as tf

    no_gradient = ops_without_gradient()
    by_snake = {_snake(op): op for op in no_gradient}
    table: dict[str, str] = {}

    def visit(module, path: str, depth: int) -> None:
        for name in sorted(dir(module)):
            if name.startswith("_"):
                continue
            try:
                value = getattr(module, name)
            except Exception:  # noqa: BLE001  (a lazily loaded module that fails)
                continue
            full = f"{path}.{name}" if path else name
            if inspect.ismodule(value):
                if depth < 3 and full.split(".")[0] not in SKIPPED and \
                        value.__name__.startswith("tensorflow"):
                    visit(value, full, depth + 1)
            elif (inspect.isfunction(value) or inspect.isbuiltin(value)) and \
                    not NOT_VALUES.search(full):
                op = _op_of(inspect.unwrap(value), by_snake, no_gradient)
                if op is not None:
                    table[full] = op

    visit(tf, "", 0)
    return dict(sorted(table.items()))


def render(table: dict[str, str]) -> str:
    import tensorflow as tf

    rows = "".join(f"    {name!r}: {op!r},\n" for name, op in table.items())
    return (f'"""TensorFlow functions whose result has no gradient, by their public name (without\n'
            f'`tf.`), with the op that makes it. Generated by `python tools/no_gradient_ops.py`\n'
            f'from TensorFlow {tf.__version__}\'s gradient registry: do not edit."""\n\n'
            f"TENSORFLOW_VERSION = {tf.__version__!r}\n\n"
            f"NO_GRADIENT_FUNCTIONS = {{\n{rows}}}\n")


def main() -> int:
    TABLE.write_text(render(generate()))
    print(f"wrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
