"""Finding, in the caller's source, where a tensor went into NumPy (unseen by patches)."""
import sys

from gradtrace.analyze.source_trace import find_conversion


class FakeTensor:
    """Stands for a tensor; NumPy's buffer-protocol read of it leaves no trace."""


def is_tensor(value) -> bool:
    return isinstance(value, FakeTensor)


class Tape:
    def gradient(self, target, sources):
        caller = sys._getframe(1)
        return caller, caller.f_lineno  # the line of the gradient call


def step_with_numpy_loss():
    err = FakeTensor()
    weights = 2.0
    squared = float(3.0)  # stands for np.square(err) in the real thing
    loss = weights * squared + len([err])
    return Tape().gradient(loss, [])


def step_with_two_hops():
    pred = FakeTensor()
    partial = 1.0 + id(pred) * 0.0
    loss = partial * 2.0
    return Tape().gradient(loss, [])


def step_without_tensors():
    loss = 3.0
    return Tape().gradient(loss, [])


def test_the_assignment_that_reads_a_live_tensor_is_found():
    frame, line = step_with_numpy_loss()
    found = find_conversion(frame, line, is_tensor)
    assert found is not None
    assert found.tensor_name == "err"
    assert found.expression == "weights * squared + len([err])"
    assert found.line == line - 1


def test_the_loss_is_followed_back_through_numpy_values():
    frame, line = step_with_two_hops()
    found = find_conversion(frame, line, is_tensor)
    assert found is not None and found.tensor_name == "pred"
    assert found.line == line - 2


def test_no_tensor_in_the_source_gives_no_claim():
    frame, line = step_without_tensors()
    assert find_conversion(frame, line, is_tensor) is None
