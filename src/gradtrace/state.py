"""Saving and restoring everything a check could change, bit for bit.

`check()` runs a user's training step and `check_model()` a forward and backward pass;
afterwards the program must be as it was. What a step can change lives in variables
(weights, optimizer iterations and slots, BatchNormalization statistics, metrics,
Keras seed generators, TF's global generator) and in the random streams outside them
(TF's op-seed counter, NumPy's and Python's global generators).

One stream cannot be put back: an eager random op given an explicit op seed
(`tf.random.uniform(shape, seed=5)` outside `tf.function`, with no generator) advances
a kernel that TF caches per seed; the check's draws from it shift the program's next.
"""
from __future__ import annotations

import gc
import random
import sys
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SavedState:
    variables: list[tuple[Any, Any]] = field(default_factory=list)  # (variable, numpy copy)
    tf_op_seeds: Any = None  # the program's own op-seed stream, set aside
    numpy_random: Any = None
    python_random: Any = None
    keras_seed_generator: Any = None  # Keras 3's global SeedGenerator object, or None

    def restore(self) -> None:
        for variable, value in self.variables:
            try:
                variable.assign(value)
            except Exception:  # noqa: BLE001  (a variable freed or made read-only meanwhile)
                pass
        _restore_tf_op_seeds(self.tf_op_seeds)
        _set_keras_seed_generator(self.keras_seed_generator)
        if self.numpy_random is not None:
            sys.modules["numpy"].random.set_state(self.numpy_random)
        random.setstate(self.python_random)


def save_state() -> SavedState:
    saved = SavedState(python_random=random.getstate())
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        saved.numpy_random = numpy.random.get_state()
    if "tensorflow" in sys.modules:
        saved.variables = [(v, value) for v in _live_variables()
                           if (value := _copy(v)) is not None]
        saved.tf_op_seeds = _tf_op_seeds()
    saved.keras_seed_generator = _keras_seed_generator()
    return saved


_KERAS_SEED = "global_seed_generator"


def _keras_seed_generator():
    """Keras 3 creates its global SeedGenerator on first use (keras.random.* without a
    seed): one created during the check must not outlive it, advanced."""
    global_state = sys.modules.get("keras.src.backend.common.global_state")
    return global_state.get_global_attribute(_KERAS_SEED) if global_state else None


def _set_keras_seed_generator(generator) -> None:
    global_state = sys.modules.get("keras.src.backend.common.global_state")
    if global_state is not None:
        global_state.set_global_attribute(_KERAS_SEED, generator)


def _live_variables() -> list:
    """Every eager resource variable alive: Keras 3 variables wrap one, tf-keras and
    optimizers hold them directly, distributed variables hold one per replica."""
    from tensorflow.python.ops.resource_variable_ops import BaseResourceVariable

    found = []
    for obj in gc.get_objects():
        if isinstance(obj, BaseResourceVariable) and _is_eager(obj):
            found.append(obj)
    return found


def _is_eager(variable) -> bool:
    handle = variable.__dict__.get("_handle")
    return handle is not None and type(handle).__name__ == "EagerTensor"


def _copy(variable):
    import numpy as np

    try:
        return np.array(variable.numpy(), copy=True)
    except Exception:  # noqa: BLE001  (resource or variant dtypes: nothing a step changes)
        return None


def _tf_op_seeds():
    """Set aside TF's op-seed stream for the duration of the check.

    With a global seed, each eager random op without a seed of its own draws its op seed
    from this stream, and TF caches one kernel, with its own advancing state, per seed
    pair. Restoring the stream afterwards is not enough: the check's ops would have
    advanced the kernels the program meets next. So the check draws its op seeds from a
    separate stream, and the program's own stream and kernels are never touched."""
    from tensorflow.python.eager import context

    ctx = context.context()
    original = getattr(ctx, "_rng", None)
    if original is not None:
        ctx._rng = random.Random(0x67726164)  # seeds the program's stream never yields first
    return original


def _restore_tf_op_seeds(original) -> None:
    if original is None:
        return
    from tensorflow.python.eager import context

    context.context()._rng = original
