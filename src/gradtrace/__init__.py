"""gradtrace: explains why TensorFlow/Keras gradients are missing.

From code: `explain()` around a block, `check(step, ...)` for one training step,
`check_model(model, x, y)` for one forward and backward pass. From the shell:
`gradtrace run SCRIPT`.
"""
from gradtrace.catalogue import CAUSES, Cause
from gradtrace.findings import Finding, Location, PathStep

__version__ = "0.1.0"

__all__ = ["CAUSES", "Cause", "Finding", "GradientError", "GradientWarning", "Location",
           "PathStep", "Report", "VariableGradient", "check", "check_model", "explain",
           "__version__"]


def __getattr__(name):
    # Lazy: importing gradtrace must stay cheap and must not import TensorFlow.
    if name in ("explain", "check", "check_model", "GradientWarning"):
        from gradtrace import api
        return getattr(api, name)
    if name in ("Report", "GradientError", "VariableGradient"):
        from gradtrace import report
        return getattr(report, name)
    raise AttributeError(f"module 'gradtrace' has no attribute {name!r}")


def load_ipython_extension(shell):
    """`%load_ext gradtrace` in IPython/Jupyter: cells explain their missing gradients."""
    from gradtrace.ipython import load_ipython_extension as load

    load(shell)


def unload_ipython_extension(shell):
    from gradtrace.ipython import unload_ipython_extension as unload

    unload(shell)
