"""The HTML report in a real browser: Debian's Chromium, driven by Playwright.

`make test` installs Chromium and Graphviz (see the Makefile); the page is produced by
`gradtrace run --html` from a real program, once per layout engine.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
CHROMIUM = os.environ.get("GRADTRACE_CHROMIUM", "/usr/bin/chromium")
# Chromium's own background traffic off, so that any request seen is the page's.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
EVIL = "<img src=x onerror=\"document.title='pwned';window.pwned=1\">"

# A residual model whose loss goes through argmax; one layer has a hostile name.
PROGRAM = f'''
import numpy as np
import tensorflow as tf
import keras

inputs = keras.Input((6,))
hidden = keras.layers.Dense(8, activation="relu", name="encoder")(inputs)
branch = keras.layers.Dense(8, name={EVIL!r})(hidden)
merged = keras.layers.Add(name="residual")([hidden, branch])
outputs = keras.layers.Dense(3, activation="softmax", name="classifier")(merged)
model = keras.Model(inputs, outputs)
x = np.ones((4, 6), np.float32)
y = np.array([0, 1, 2, 0])

with tf.GradientTape() as tape:
    predicted = tf.argmax(model(x), axis=-1)
    loss = tf.reduce_mean(tf.cast(predicted != y, tf.float32))
print(tape.gradient(loss, model.trainable_variables))
'''
VARIABLES = {f"{layer}/{weight}" for layer in ("encoder", EVIL, "classifier")
             for weight in ("kernel", "bias")}


def _require(path_or_name: str, what: str) -> None:
    if not (shutil.which(path_or_name) or Path(path_or_name).exists()):
        pytest.fail(f"{what} is not installed: `make test` installs it "
                    "(apt-get install chromium graphviz)")


@pytest.fixture(scope="module", params=["dot", "builtin"])
def report_page(request, tmp_path_factory):
    """The page for PROGRAM, laid out by one engine, and the run's JSON report."""
    if request.param == "dot":
        _require("dot", "Graphviz")
    folder = tmp_path_factory.mktemp(request.param)
    script = folder / "train.py"
    script.write_text(PROGRAM)
    page = folder / "report.html"
    env = dict(os.environ, GRADTRACE_GRAPH_ENGINE=request.param, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run(
        [sys.executable, "-m", "gradtrace", "run", "--format", "json", "--html", str(page),
         str(script)], capture_output=True, text=True, timeout=300, env=env, cwd=folder)
    assert done.returncode == 1, done.stderr[-2000:]
    return page, json.loads(done.stdout), request.param


@pytest.fixture(scope="module")
def browser():
    _require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Visit:
    """A page opened in a fresh context, with everything it logged and asked for."""

    def __init__(self, browser, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.as_uri()
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, report_page):
    opened = Visit(browser, report_page[0])
    yield opened
    opened.close()


def test_page_loads_without_console_errors_or_network_requests(visit):
    visit.page.locator("g.gt-layer").first.click()  # the script runs on a click too
    assert visit.errors == []
    assert [m for m in visit.console if m.startswith(("error", "warning"))] == []
    assert visit.requests == [visit.url]


def test_picture_has_a_node_per_affected_variable_and_the_break(visit, report_page):
    _, report, engine = report_page
    finding = report["findings"][0]
    assert finding["cause"] == "nondifferentiable_op" and set(finding["variables"]) == VARIABLES
    names = visit.page.eval_on_selector_all(
        "g.gt-variable",
        "gs => gs.map(g => (g.querySelector('a') && g.querySelector('a').getAttribute("
        "'xlink:title')) || g.querySelector('title').textContent)")
    assert sorted(n.removeprefix("variable ") for n in names) == sorted(VARIABLES)
    breaks = visit.page.locator("g.gt-break")
    assert breaks.count() == 1 and "ArgMax" in breaks.first.text_content()
    assert visit.page.locator("g.gt-loss").count() == 1
    expected = "Graphviz dot" if engine == "dot" else "the built-in layout"
    assert f"laid out by {expected}" in visit.page.locator(".legend").first.text_content()


def test_clicking_a_layer_shows_its_ops(visit):
    panel = visit.page.locator(".gt-graph .ops").first
    assert panel.is_hidden()
    visit.page.locator("g.gt-layer", has_text="classifier").first.click()
    assert panel.is_visible()
    assert "classifier" in panel.text_content()
    ops = [row.inner_text() for row in panel.locator("tr.op").all()]
    assert any(row.startswith("MatMul") for row in ops)
    assert all("train.py:" in row for row in ops)  # each op at the user's line


def test_clicking_the_break_shows_the_op_without_gradient(visit):
    visit.page.locator("g.gt-break").first.click()
    panel = visit.page.locator(".gt-graph .ops").first
    assert "ArgMax" in panel.text_content() and "no gradient" in panel.text_content()


def test_hostile_layer_name_shows_as_text_and_runs_nothing(visit):
    page = visit.page
    page.locator("g.gt-layer", has_text="onerror").first.click()  # its name in the panel
    assert page.title() == "gradtrace report"
    assert page.evaluate("window.pwned") is None
    assert page.locator("img").count() == 0
    assert EVIL in page.locator("body").inner_text()
    assert EVIL in page.locator(".gt-graph .ops").first.inner_text()


def test_escaping_holds_without_the_content_security_policy(browser, report_page, tmp_path):
    """The policy would block an injected handler anyway: take it out, to test escaping."""
    page_path, _, _ = report_page
    text = page_path.read_text(encoding="utf-8")
    start = text.index('<meta http-equiv="Content-Security-Policy"')
    unprotected = tmp_path / "no-csp.html"
    unprotected.write_text(text[:start] + text[text.index(">", start) + 1:], encoding="utf-8")
    opened = Visit(browser, unprotected)
    try:
        opened.page.locator("g.gt-layer", has_text="onerror").first.click()
        assert opened.page.evaluate("window.pwned") is None
        assert opened.page.locator("img").count() == 0
        assert opened.errors == []
    finally:
        opened.close()
