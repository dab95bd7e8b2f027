"""The linter never crashes: arbitrary text, and real training programs mutated."""
import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from case_files import OWN_PROGRAMS, SHARED_CASES
from gradtrace.lint.checker import lint_source

SOURCES = [p.read_text() for folder in (SHARED_CASES, OWN_PROGRAMS)
           for p in sorted(folder.glob("*.py"))]
TOKENS = ["tf.GradientTape()", "tape.gradient(loss, x)", ".numpy()", "model(x, training=True)",
          "tf.argmax(", "self.", "with ", "return ", "def f(y_true, y_pred):", "class A(Layer):",
          "lambda: ", "tf.Variable(1)", "[", "]", "(", ")", ":", "\n", "    ", "=", "*", "#"]
FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def assert_lints(source: str) -> None:
    for diagnostic in lint_source(source):
        assert diagnostic.line >= 1 and diagnostic.rule.startswith("GT")


@FUZZ
@given(st.text())
def test_arbitrary_text(source):
    assert_lints(source)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=60))
def test_token_soup(tokens):
    assert_lints("".join(tokens))


@FUZZ
@given(st.sampled_from(SOURCES), st.data())
def test_real_programs_with_lines_deleted_duplicated_or_swapped(source, data):
    lines = source.splitlines()
    for _ in range(data.draw(st.integers(1, 6))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap", "dedent"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(j, lines[i])
        elif action == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i].lstrip()
    assert_lints("\n".join(lines))


@FUZZ
@given(st.sampled_from(SOURCES), st.data())
def test_real_programs_with_statements_removed_stay_lintable(source, data):
    """Valid but unusual programs: the analysis, not only the parser, is exercised."""
    tree = ast.parse(source)
    nodes = [n for n in ast.walk(tree) if hasattr(n, "body") and isinstance(n.body, list)
             and len(n.body) > 1]
    for _ in range(data.draw(st.integers(1, 4))):
        if not nodes:
            break
        node = data.draw(st.sampled_from(nodes))
        if len(node.body) > 1:
            del node.body[data.draw(st.integers(0, len(node.body) - 1))]
    assert_lints(ast.unparse(tree))
