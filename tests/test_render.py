"""The text and JSON reports, from findings made by hand (no TensorFlow needed)."""
import io
import json

from gradtrace.findings import Finding, Location, PathStep
from gradtrace.render.json_report import render_json
from gradtrace.render.text import MAX_WIDTH, make_console, render_text
from gradtrace.runner import RunResult


def a_result(tmp_path, variables=("model/dense/kernel", "model/dense/bias")) -> RunResult:
    script = tmp_path / "train.py"
    script.write_text("import tensorflow as tf\n" + "x = 1\n" * 8
                      + "loss = np.mean((pred.numpy() - y) ** 2)  # the break\n")
    where = Location(str(script), 10, "train_step")
    finding = Finding(
        cause="numpy_conversion", variables=list(variables), location=where,
        message="A tensor computed from `model/dense/kernel` was converted with numpy. " * 3,
        path=[PathStep("ReadVariableOp", Location(str(script), 9, "train_step"), "reads kernel"),
              PathStep(".numpy()", where, "left TensorFlow")])
    return RunResult(script=str(script), exit_code=1, exception=ValueError("No gradients"),
                     findings=[finding], tensorflow_version="2.21.0", keras_version="3.15.1")


def render(result) -> str:
    out = io.StringIO()
    render_text(result, make_console(out))
    return out.getvalue()


def test_text_report_names_cause_variables_line_code_and_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the working directory
    text = render(a_result(tmp_path))
    assert "error[numpy_conversion]" in text
    assert "model/dense/kernel, model/dense/bias" in text
    assert "train.py:10 in train_step" in text
    assert "loss = np.mean((pred.numpy() - y) ** 2)" in text
    assert "fix: Keep the computation in TensorFlow" in text
    assert "ReadVariableOp (line 9) [reads kernel] -> .numpy() (line 10)" in text


def test_text_report_off_a_terminal_has_no_colour_and_fits_100_columns(tmp_path):
    text = render(a_result(tmp_path))
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= MAX_WIDTH
    assert all(line == line.rstrip() for line in lines), "trailing padding"


def test_no_color_is_honoured_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    out.isatty = lambda: True
    console = make_console(out)
    console.force_terminal = True
    render_text(a_result(tmp_path), console)
    assert "\x1b[3" not in out.getvalue()  # no colour codes (bold may remain)


def test_long_variable_lists_are_shortened_in_text_only(tmp_path):
    names = [f"mobilenet/block_{i}/kernel" for i in range(150)]
    result = a_result(tmp_path, names)
    text = render(result)
    assert "150 variables: mobilenet/block_0/kernel" in text
    assert "mobilenet/block_149/kernel" in text and "mobilenet/block_70/kernel" not in text
    assert json.loads(render_json(result))["findings"][0]["variables"] == names


def test_json_report_has_the_documented_shape(tmp_path):
    report = json.loads(render_json(a_result(tmp_path)))
    assert set(report) == {"gradtrace", "tensorflow", "keras", "script", "exit_code",
                           "exception", "findings"}
    assert report["exception"] == {"type": "ValueError", "message": "No gradients"}
    finding = report["findings"][0]
    assert set(finding) == {"cause", "severity", "title", "message", "fix", "variables",
                            "location", "path", "graph"}
    assert finding["graph"] is None  # made by hand, without the recorded ops
    assert finding["location"]["line"] == 10
    assert finding["location"]["code"].startswith("loss = np.mean(")
    assert finding["path"][0] == {"op": "ReadVariableOp", "note": "reads kernel",
                                  "location": {"file": report["script"], "line": 9,
                                               "function": "train_step", "code": "x = 1"}}


def test_nothing_is_printed_for_a_clean_run(tmp_path):
    assert render(RunResult(script="train.py", exit_code=0)) == ""


def test_html_page_is_self_contained_and_escapes_user_strings(tmp_path):
    evil = "<img src=x onerror=alert(1)>"
    result = a_result(tmp_path, variables=(f"model/{evil}/kernel",))
    result.findings[0].message = f"layer {evil} broke it"
    (tmp_path / "train.py").write_text("x = 1\n" * 9 + f"loss = f('{evil}')\n")
    from gradtrace.render.html_report import full_page

    page = full_page(result)
    assert evil not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page.lower() and "http://" not in page and "https://" not in page
    assert "default-src 'none'" in page  # the browser may fetch nothing
    assert '<span class="here">   10  loss = f(' in page  # the break line, marked, in context
    assert page.count("<li") == 2  # the evidence path


def test_run_writes_the_html_report_with_html_option(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "plain.py"
    script.write_text("print('hello')\n")
    page = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "gradtrace", "run", "--html", str(page),
                           str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == "hello\n"
    assert "No missing-gradient problem found." in page.read_text()


def a_graph_result(tmp_path, layer="model/dense"):
    """A result whose finding has a picture: kernel -> layer -> Round -> loss."""
    from gradtrace.analyze.flowgraph import FlowGraph
    from gradtrace.record.events import OpNode

    result = a_result(tmp_path)
    where = Location(str(tmp_path / "train.py"), 10, "train_step")
    nodes = [OpNode(t, (), (object(),), (None,), where, True, scope=f"{layer}/")
             for t in ("ReadVariableOp", "MatMul", "Round")]
    result.findings[0].graph = FlowGraph.from_route(f"{layer}/kernel", nodes, nodes[-1], where)
    return result


def test_html_page_allows_its_own_script_by_hash_and_nothing_else(tmp_path):
    import base64
    import hashlib
    import re

    from gradtrace.render.html_report import full_page

    page = full_page(a_graph_result(tmp_path))
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert policy == ("default-src 'none'; style-src 'unsafe-inline'; "
                      f"script-src 'sha256-{digest}'")
    assert re.search(r"""(src|href)=["']?(https?:|//)""", page) is None


def test_graph_data_block_cannot_close_its_script_element(tmp_path):
    from gradtrace.render.html_report import full_page

    evil = "</script><script>alert(1)</script>"
    page = full_page(a_graph_result(tmp_path, layer=f"model/{evil}"))
    data = page[page.index('id="gradtrace-graph-data">'):]
    data = data[:data.index("</script>")]
    assert "<" not in data.split(">", 1)[1]
    assert "\\u003c/script\\u003e" in data


def test_both_layouts_escape_names_in_the_svg(tmp_path, monkeypatch):
    import shutil

    from gradtrace.render.flow_svg import flow_svg

    evil = 'x<img src=x onerror=alert(1)>"\\N\\G'
    view = a_graph_result(tmp_path, layer=f"model/{evil}").findings[0].graph.layer_view()
    engines = ["builtin"] + (["dot"] if shutil.which("dot") else [])
    assert "dot" in engines, "Graphviz is not installed: `make test` installs it"
    for engine in engines:
        svg, used = flow_svg(view, "gt1", engine)
        assert used == ("dot" if engine == "dot" else "built-in")
        assert "<img" not in svg
        assert "x&lt;img src=x onerror=alert(1)&gt;" in svg
        assert "\\N\\G" in svg.replace("&quot;", '"')  # Graphviz escapes shown as typed
