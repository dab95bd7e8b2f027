"""A term added to the loss that the tape holds constant: computed from trainable
variables while no tape recorded (a KL term from an encoder run before the tape, a
regularization sum taken before it), so it trains nothing, silently.

Only the loss's additive structure is followed (sums, means, scalings): a value made
before the tape that enters through anything else (a target network's estimate inside a
squared error, a teacher's logits inside a divergence) is how training holds values
fixed, and is fine."""
from __future__ import annotations

from gradtrace.analyze.call import GradientCall
from gradtrace.analyze.cuts import blocker_location
from gradtrace.analyze.dataflow import ancestry
from gradtrace.findings import Finding

ADDITIVE_OPS = frozenset({"Add", "AddV2", "AddN", "Sub"})
# Ops a term passes through on its way into the loss without mixing with anything else.
_PASS_THROUGH = frozenset({"Identity", "Neg", "Mean", "Sum", "Cast", "Reshape", "Squeeze",
                           "ExpandDims", "FunctionOutput", "Capture", "Argument"})
_SCALING = frozenset({"Mul", "RealDiv"})
_MOST_OPS = 64  # the top of the loss; a sum deeper than this is part of the model


def constant_terms(call: GradientCall) -> list[Finding]:
    """One finding per term of the loss whose trainable variables were all read while no
    tape recorded, and that reaches the loss only by being added to it."""
    findings = []
    for term in _added_terms(call):
        reads = _reads_outside_tape(call, term)
        if reads:
            findings.append(_finding(call, term, reads))
    return findings[:1]


def _added_terms(call: GradientCall) -> list:
    """The operands of the sums at the top of the loss (below scalings and reductions)."""
    terms, queue, seen = [], list(call.target_keys), set()
    while queue and len(seen) < _MOST_OPS:
        key = queue.pop(0)
        if key in seen:
            continue
        seen.add(key)
        node = call.flow.producer(key)
        if node is None:
            continue
        if node.op_type in ADDITIVE_OPS:
            terms += list(node.inputs)
            queue += list(node.inputs)
        elif node.op_type in _PASS_THROUGH and node.inputs:
            queue.append(node.inputs[0])
        elif node.op_type in _SCALING and len(node.inputs) == 2:
            scaled = _scaled_operand(call, node)
            if scaled is not None:
                queue.append(scaled)
    return [t for t in terms if call.flow.producer(t) is not None and
            call.flow.producer(t).op_type not in ADDITIVE_OPS]


def _scaled_operand(call: GradientCall, node):
    """`0.1 * kl`, `kl_weight * kl`, `loss / n`: the operand scaled by a coefficient (a
    constant, a Python number, a non-trainable variable), else None."""
    coefficients = [i for i, key in enumerate(node.inputs) if _is_coefficient(call, key)]
    if node.op_type == "RealDiv":
        return node.inputs[0] if 1 in coefficients else None
    if len(coefficients) == 1:
        return node.inputs[1 - coefficients[0]]
    return None


def _is_coefficient(call: GradientCall, key) -> bool:
    node = call.flow.producer(key)
    if node is None or node.op_type == "Const":
        return True
    if node.op_type in ("ReadVariableOp", "Cast", "Identity") and node.handles:
        infos = [call.recorder.variables.get(h) for h in node.handles]
        return all(i is not None and not i.trainable for i in infos)
    return False


def _reads_outside_tape(call: GradientCall, term) -> list:
    """The reads of trainable variables a term depends on, when all of them ran while no
    tape recorded and nothing it depends on is watched; else []."""
    found = ancestry(call.flow, [term], limit=20_000)
    watched = {s.key for s in call.sources if not s.is_variable}
    if watched & (set(found.toward) | {term}):
        return []
    reads = []
    for handle, nodes in found.reads.items():
        info = call.recorder.variables.get(handle)
        if any(n.recording is not False for n in nodes):
            return []  # the tape recorded this variable's values: the term is connected
        if info is not None and info.trainable:
            reads += nodes
    return reads


def _finding(call: GradientCall, term, reads: list) -> Finding:
    names = list(dict.fromkeys(
        call.recorder.variables[h].name for r in reads for h in r.handles
        if h in call.recorder.variables))
    where = blocker_location(call, reads[0], "outside_tape")
    term_node = call.flow.producer(term)
    added_at = term_node.location if term_node is not None else None
    added = f" (at line {added_at.line})" if added_at and added_at != where else ""
    listed = f"`{names[0]}`" + (f" and {len(names) - 1} more" if len(names) > 1 else "")
    verb = "were" if len(names) > 1 else "was"
    return Finding(
        cause="outside_tape", variables=names, location=where, severity="warning",
        variant="constant_term",
        message=f"{listed} {verb} read here while no tape was recording; the loss adds a term "
        f"computed from {'their' if len(names) > 1 else 'its'} values{added} as a constant: the tape has no record of how the "
        "term depends on the variables, so it contributes nothing to any gradient and trains "
        "nothing, while the rest of the loss trains as usual.")
