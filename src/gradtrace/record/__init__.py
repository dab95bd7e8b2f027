"""Record what the program did while gradient tapes recorded."""
from gradtrace.record.recorder import Recorder

__all__ = ["Recorder"]
