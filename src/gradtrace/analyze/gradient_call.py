"""Explain one `tape.gradient` call: which sources got nothing, and why.

Every finding rests on what was recorded: the path of ops from a variable's
read to the loss and the first op on it that lets no gradient through; the
variables the loss really reads; conversions to NumPy and `predict` calls
made while the tape recorded; the Nones a custom gradient returned.
"""
from __future__ import annotations

import re

from gradtrace.analyze import source_trace
from gradtrace.analyze.call import (GradientCall, Source, is_float, merge_findings,
                                    mention_all_variables)
from gradtrace.analyze.constant_terms import constant_terms
from gradtrace.analyze.cuts import cut_finding, op_location
from gradtrace.analyze.evidence import PY_FUNC_OPS, forget_registrations
from gradtrace.analyze.gradient_values import (normalized_target, value_findings,
                                               zero_by_construction)
from gradtrace.analyze.nothing_requested import nothing_requested, untracked_variables
from gradtrace.analyze.hand_listed import hand_listed_variables
from gradtrace.analyze.tensor_sources import numpy_target, tensor_source
from gradtrace.analyze.unused import non_trainable, output_without_loss, unexplained
from gradtrace.findings import Finding, Location, PathStep


def diagnose(call: GradientCall) -> list[Finding]:
    forget_registrations()
    findings = _diagnose(call)
    for finding in findings:
        if finding.graph is not None:  # the edges between drawn ops that no route took
            finding.graph.connect(call.flow.producer)
    return findings


def _diagnose(call: GradientCall) -> list[Finding]:
    objects = [s for s in call.sources if s.object_type]
    if objects and call.target_type != "KerasTensor":
        return [_object_sources(call, objects)]
    if call.exc is not None:
        return _diagnose_exception(call)
    if call.results is None:
        return []
    if not call.sources and call.target_keys:
        return nothing_requested(call)
    findings = (untracked_variables(call) or hand_listed_variables(call)) \
        if call.target_keys else []
    missing = [s for s, r in zip(call.sources, call.results) if r is None]
    if missing:  # the variables asked about first; others the loss uses after them
        findings = _explain_missing(call, missing) + findings
    elif call.results and call.target_keys:
        findings += constant_terms(call) or zero_by_construction(call) or \
            normalized_target(call) or (value_findings(call) if not call.compiled else [])
    return findings


def _explain_missing(call: GradientCall, missing: list[Source]) -> list[Finding]:
    got = [s for s, r in zip(call.sources, call.results) if r is not None]
    if not call.target_keys:
        return [numpy_target(call, missing)]
    if call.custom_nones:
        return [_custom_gradient_none(call, missing)]
    findings: list[Finding] = []
    remaining, integers, statistics = [], [], []
    constant = _loss_from_predict(call, missing)
    if constant is not None:
        return [constant]
    for source in missing:
        if not source.is_variable:
            findings.append(tensor_source(call, source))
        elif call.tape_info.watch_accessed_variables is False and source.key not in call.watched_handles:
            findings.append(call.finding(
                "unwatched_tensor", [source], call.tape_info.opened_at,
                f"The tape was opened with watch_accessed_variables=False and `{source.name}` "
                "was never passed to tape.watch().", severity="error"))
        elif source.info is not None and not is_float(source.dtype):
            integers.append(source)
        elif source.info is not None and not source.info.trainable and \
                source.key not in call.watched_handles:
            statistics.append(source)
        else:
            remaining.append(source)
    if statistics:
        findings.append(non_trainable(call, statistics))
    if integers:
        first = integers[0]
        findings.append(call.finding(
            "integer_variable", integers, first.info.created_at,
            f"`{first.name}` is a {first.info.dtype} variable: gradients exist only for "
            "floating-point variables.", severity="error"))
        mention_all_variables(findings[-1])
    if remaining:
        findings += _explain_cut_off(call, remaining, got)
    return merge_findings(findings) if len(findings) > 1 else findings


def _explain_cut_off(call: GradientCall, missing: list[Source], got: list[Source]) -> list[Finding]:
    """Each variable's gradient path followed to where it ends. A cut that its values
    reached (a blocker on the way to the loss, NumPy, predict) explains it, and wins over
    what follows from it (the loss then depends on other variables only). Only variables
    whose values reached no cut are unused, or, when nothing the gradient was asked for
    is used, the wrong sources."""
    shown: set = set()  # blockers whose evidence path is already built
    cuts = {id(s): cut_finding(call, s, shown) for s in missing}
    findings = [f for f in cuts.values() if f is not None]
    if findings and all(f.cause == "outside_tape" for f in findings):
        # Running a model before the tape is how a step holds it fixed (a GAN's
        # discriminator step): when the tape did record other variables on the way to
        # the loss, the step trains those, and asking for these is the mistake.
        wrong = _wrong_sources(call, missing, got)
        if wrong:
            return wrong
    uncut = [s for s in missing if cuts[id(s)] is None]
    if uncut and not findings and not got:
        findings += _values_from_python(call, uncut)
        uncut = [s for s in uncut if not findings]
    if uncut and not findings and not got:
        constant = _loss_without_variables(call, uncut)
        if constant is not None:
            return [constant]
    if uncut:
        wrong = [] if findings else _wrong_sources(call, uncut, got)
        findings += wrong or output_without_loss(call, [unexplained(call, s, got) for s in uncut])
    return merge_findings(findings)


def _loss_without_variables(call: GradientCall, missing: list[Source]) -> Finding | None:
    """No variable at all is read on the way to the loss, and the loss was made in the
    user's code: the line that made it, from constants or data alone, is the cut (a
    branch of a loss function that returns a constant). (A model output computed before
    the tape is a cut found earlier: its ops were recorded.)"""
    if call.ancestry.reads:
        return None
    made_at = _loss_made_at(call)
    if made_at is None:
        return None
    return call.finding(
        "disconnected", missing, made_at,
        f"The loss is made here from constants or data alone: no variable, and nothing computed "
        f"from one (the model's output), goes into it, so `{missing[0].name}` and every "
        "other variable has no gradient. Make the loss from the model's output on every "
        "path through this code.", severity="error", variant="constant_target")


def _loss_made_at(call: GradientCall) -> Location | None:
    """The nearest op on the way back from the loss that ran at a line of the user's
    own, other than the gradient call's (a loss function's `return`)."""
    seen, layer = set(), [call.flow.producer(k) for k in call.target_keys]
    for _ in range(50):
        nodes = [n for n in layer if n is not None and id(n) not in seen]
        if not nodes:
            return None
        for node in nodes:
            here = node.location
            if here is not None and here != call.location:
                return here
        seen.update(id(n) for n in nodes)
        layer = [call.flow.producer(k) for n in nodes for k in n.inputs]
    return None


# tf.numpy_function's ops, and tf.py_function's: either way, Python made the values.
_PY_FUNCTION_OPS = PY_FUNC_OPS | {"EagerPyFunc"}


def _values_from_python(call: GradientCall, missing: list[Source]) -> list[Finding]:
    """No requested variable is read on the way to the loss, and what the loss depends on
    came out of tf.numpy_function / tf.py_function: Python computed it, where the tape
    cannot follow (a model run inside the function is invisible to the gradient)."""
    anc = call.ancestry
    if any(anc.reads.get(s.key) for s in missing):
        return []

    node = next((n for n in anc.nodes if n.op_type in _PY_FUNCTION_OPS), None)
    if node is None:
        return []
    where = source_trace.call_line(node.location, ("numpy_function", "py_function", "py_func"))
    return [call.finding(
        "numpy_function", missing, where,
        f"The loss is computed from what {_py_function_name(node)} returned, and nothing "
        f"else reads `{missing[0].name}` on the way to the loss: values computed in Python "
        "(the model run inside the function included) have no gradient.",
        [PathStep(node.op_type, node.location, "no gradient flows past this op")])]


def _py_function_name(node) -> str:
    return "tf.py_function" if node.op_type == "EagerPyFunc" else "tf.numpy_function"


def _wrong_sources(call: GradientCall, missing: list[Source], got: list[Source]) -> list[Finding]:
    """None of the requested variables feeds the loss, while others do, under this tape."""
    if got:
        return []
    anc = call.ancestry
    requested = {s.key for s in call.sources}
    recorded = {key for key, reads in anc.reads.items()
                if any(r.recording is not False for r in reads)}
    if recorded & requested:
        return []
    used = [key for key in recorded if _trainable(call, key) and key not in requested]
    if not used:
        return []
    used_names = sorted({_name_of(call, key) for key in used})
    shown = ", ".join(used_names[:4]) + (" ..." if len(used_names) > 4 else "")
    return [call.finding(
        "wrong_sources", missing, call.location,
        f"The loss depends on {shown}, but the gradient was asked for other variables, none "
        "of which takes part in the loss.")]


def _trainable(call: GradientCall, key) -> bool:
    info = call.recorder.variables.get(key)
    return info is None or info.trainable


def _name_of(call: GradientCall, key) -> str:
    info = call.recorder.variables.get(key)
    return info.name if info else f"variable #{key}"


def _loss_from_predict(call: GradientCall, missing: list[Source]) -> Finding | None:
    """predict() ran inside the tape, and the loss depends on no variable and on none of
    the sources: it was computed from predict's NumPy result, whatever was asked for."""
    predicts = call.tape_info.predicts
    anc = call.ancestry
    if not predicts or anc.reads or any(s.key in anc.toward for s in missing):
        return None
    predict = predicts[-1]
    model = source_trace.method_owner(predict.location, "predict") or predict.model_name
    return call.finding(
        "predict_in_tape", missing, predict.location,
        f"The loss is computed from what `{model}.predict()` returned: NumPy values, with no "
        f"record of the model or its input. Call the model itself (`{model}(x)`) inside the "
        "tape.",
        [PathStep(f"{predict.model_name}.predict", predict.location, "returns NumPy")])


def _object_sources(call: GradientCall, objects: list[Source]) -> Finding:
    """tape.gradient(loss, model): sources must be variables or tensors."""
    first = objects[0]
    return call.finding(
        "wrong_sources", objects, call.location,
        f"The gradient was asked with respect to `{first.name}`, a {first.object_type} "
        "object: tape.gradient takes variables or tensors (or nested lists of them). Pass "
        f"`{first.name}.trainable_variables`.", severity="error")


def _custom_gradient_none(call: GradientCall, missing: list[Source]) -> Finding:
    event = call.custom_nones[0]
    return call.finding(
        "custom_gradient_none", missing, event.location,
        f"The backward function of @tf.custom_gradient `{event.function}` returned None, so "
        "nothing flows back to the variables before it.")


# TensorFlow's wordings for an op without a registered gradient (graph, eager).
_NO_GRADIENT = re.compile(r"No gradient defined for operation\s*'[^']+'\s*\(op type: (\w+)\)"
                          r"|gradient registry has no entry for: (\w+)")


def _diagnose_exception(call: GradientCall) -> list[Finding]:
    exc = call.exc
    text = str(exc)
    if call.target_type == "KerasTensor":
        return [call.finding(
            "outside_tape", call.sources, call.location,
            "The target is a symbolic KerasTensor (a functional model's `layer.output` or "
            "`model.output`), not a value computed from an input while the tape recorded: "
            "there is nothing to differentiate. Make a model that outputs that layer "
            "(`keras.Model(model.inputs, layer.output)`), call it on the input inside the "
            "tape, and build the loss from its result.", severity="error")]
    if isinstance(exc, AttributeError) and "_id" in text and not call.target_keys:
        return [numpy_target(call, [s for s in call.sources])]
    match = _NO_GRADIENT.search(text)
    if isinstance(exc, LookupError) and match:
        op_type = match.group(1) or match.group(2)
        node = next((n for n in call.ancestry.nodes if n.op_type == op_type), None)
        return [call.finding(
            "nondifferentiable_op", call.sources, op_location(call, node) if node else None,
            f"{op_type} has no gradient defined, and the loss depends on it.")]
    return []
