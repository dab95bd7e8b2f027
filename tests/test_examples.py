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
