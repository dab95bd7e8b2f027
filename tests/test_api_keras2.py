"""The in-process API tests again, in a fresh process under Keras 2 (tf-keras)."""
import subprocess
import sys

import pytest

from case_files import ROOT, environment

pytestmark = pytest.mark.slow


def test_api_tests_pass_under_keras2():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         str(ROOT / "tests" / "inprocess")],
        capture_output=True, text=True, env=environment("keras2"), cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
