"""The README's demo: the bundled example gets its real diagnosis under both Kerases."""
import pytest

from case_files import ROOT, run_gradtrace

pytestmark = pytest.mark.slow
EXAMPLE = ROOT / "examples" / "gan_with_predict.py"


@pytest.mark.parametrize("framework", ["keras3", "keras2"])
def test_bundled_gan_example_is_explained(framework, tmp_path):
    run = run_gradtrace(EXAMPLE, framework, tmp_path)
    assert run.returncode == 1, run.stderr[-2000:]
    first = run.report["findings"][0]
    assert first["cause"] == "predict_in_tape"
    assert first["location"]["code"] == "fake_score = discriminator.predict(fake, verbose=0)"
    assert "generator/dense/kernel" in first["variables"]


@pytest.mark.parametrize("framework", ["keras3", "keras2"])
def test_html_demo_pictures_every_layer_between_the_variables_and_the_argmax(framework,
                                                                             tmp_path):
    run = run_gradtrace(ROOT / "examples" / "html_report_demo.py", framework, tmp_path)
    assert run.returncode == 1, run.stderr[-2000:]
    [finding] = run.report["findings"]
    assert finding["cause"] == "nondifferentiable_op" and finding["location"]["line"] == 11
    graph = finding["graph"]

    def unprefixed(name: str) -> str:  # Keras 2 names the model first
        return name.removeprefix("reviews/")

    assert {unprefixed(v) for v in graph["variables"]} == {
        "embedding/embeddings", "hidden/kernel", "hidden/bias", "scores/kernel", "scores/bias"}
    layers = {unprefixed(op["layer"]) for op in graph["ops"]}
    # The traced step's ops carry the Keras layer names, not the graph's (`reviews_1`).
    assert {"embedding", "pool", "hidden", "skip", "scores"} <= layers
    assert [op["op"] for op in graph["ops"] if op["role"] == "break"] == ["ArgMax"]
