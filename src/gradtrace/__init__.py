"""gradtrace: explains why TensorFlow/Keras gradients are missing."""
from gradtrace.catalogue import CAUSES, Cause
from gradtrace.findings import Finding, Location, PathStep

__version__ = "0.1.0"

__all__ = ["CAUSES", "Cause", "Finding", "Location", "PathStep", "__version__"]
