"""Keras patches: `predict` inside a tape, and where `compile` chose the loss."""
from __future__ import annotations

import sys

from gradtrace import frames
from gradtrace.findings import Finding
from gradtrace.record.events import PredictCall


def install_keras3(recorder, patcher) -> None:
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
    from keras.src.trainers.trainer import Trainer

    _patch_predict(recorder, patcher, TensorFlowTrainer)
    _patch_compile(recorder, patcher, Trainer)


def install_tf_keras(recorder, patcher) -> None:
    from tf_keras.src.engine.training import Model

    _patch_predict(recorder, patcher, Model)
    _patch_compile(recorder, patcher, Model)


def _patch_predict(recorder, patcher, cls) -> None:
    for name in ("predict", "predict_on_batch"):
        if name in cls.__dict__:
            patcher.wrap(cls, name, lambda original: _predict_wrapper(recorder, original))


def _predict_wrapper(recorder, original):
    def predict(model, *args, **kwargs):
        if not recorder.recording_active() or getattr(recorder._tls, "predict", None):
            return original(model, *args, **kwargs)
        call = recorder._guard(_predict_call, recorder, model)
        for info in recorder.current_tape_infos():
            if call is not None:
                info.predicts.append(call)
        recorder._tls.predict = call
        try:
            with recorder.quiet():
                outputs = original(model, *args, **kwargs)
        except LookupError as exc:
            # tf-keras: predict() under a recording tape fails to build the gradient of
            # its input pipeline ("No gradient defined for operation 'IteratorGetNext'").
            if call is not None and "No gradient defined" in str(exc):
                recorder._guard(_predict_failed, recorder, model, call, sys._getframe(1))
            raise
        finally:
            recorder._tls.predict = None
        return outputs
    return predict


def _predict_call(recorder, model) -> PredictCall:
    handles = set()
    for variable in model.variables:
        recorder.variable_info(variable)
        for component in getattr(variable, "values", None) or (variable,):
            handle = getattr(component, "handle", None)
            if hasattr(handle, "_id"):
                handles.add(handle._id)
    return PredictCall(getattr(model, "name", type(model).__name__), frozenset(handles),
                       frames.caller_location(3))


def _predict_failed(recorder, model, call: PredictCall, frame) -> None:
    recorder.qualify_legacy_names(frames.user_frame(frame))
    names = [recorder.variable_info(v).name for v in model.trainable_variables]
    recorder.add_finding(Finding(
        cause="predict_in_tape", variables=names, location=call.location,
        message=f"{call.model_name}.predict() ran inside a recording tape: it is a separate "
        "prediction loop that returns NumPy values, so the tape cannot connect its results to "
        "the model's variables (tf-keras even fails trying to differentiate its input pipeline).",
    ))


def _patch_compile(recorder, patcher, cls) -> None:
    if "compile" not in cls.__dict__:
        return

    def make(original):
        def compile(model, *args, **kwargs):
            location = frames.caller_location(1)
            if location is not None:
                recorder.compile_sites[id(model)] = location
            return original(model, *args, **kwargs)
        return compile

    patcher.wrap(cls, "compile", make)

