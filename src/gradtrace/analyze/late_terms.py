"""A loss term computed from the variables after their gradient was taken and added to
the loss only then: `gradients = tape.gradient(loss, weights)`, then
`loss += l2 * tf.add_n([tf.nn.l2_loss(w) for w in weights])`. The loss the program
reports includes the term; the gradient it trains with does not."""
from __future__ import annotations

from gradtrace.analyze.constant_terms import ADDITIVE_OPS
from gradtrace.analyze.dataflow import EagerFlow, ancestry
from gradtrace.findings import Finding
from gradtrace.record.events import READ_OPS

MAX_OPS_AFTER = 20_000  # ops looked at after a gradient call


def term_added_after(call, producers, after_key: int) -> Finding | None:
    targets = set(call.target_keys)
    asked = {s.key: s for s in call.sources if s.is_variable}
    flow = EagerFlow(producers)
    seen = 0
    for key, node in reversed(producers.items()):
        if not isinstance(key, int) or key < 0:
            continue  # (an assignment's own key)
        if key <= after_key or seen > MAX_OPS_AFTER:
            break
        seen += 1
        if node.op_type not in ADDITIVE_OPS or not targets & set(node.inputs) or node.recording:
            continue
        others = [k for k in node.inputs if k not in targets]
        term = ancestry(flow, others, limit=50_000)
        read = [asked[h] for h in term.reads if h in asked]
        if not read or any(n.recording for n in term.nodes):
            continue
        # the term's first computation (`tf.nn.l2_loss(v)`), not the reads themselves,
        # which TensorFlow may make implicitly, with no line of their own
        made = [n for n in term.nodes if n.op_type not in READ_OPS and n.location is not None
                and n.outputs and isinstance(n.outputs[0], int) and n.outputs[0] > after_key]
        first = min(made, key=lambda n: n.outputs[0], default=None)
        where = first.location if first is not None else node.location
        asked_at = f" (line {call.location.line})" if call.location else ""
        added_at = f" at line {node.location.line}" if node.location else ""
        more = f" (and {len(read) - 1} more)" if len(read) > 1 else ""
        return Finding(
            cause="outside_tape", variables=[s.name for s in read], location=where,
            severity="warning", variant="added_after_gradient",
            message=f"`{read[0].name}`{more} is read here, after `tape.gradient`{asked_at} "
            f"was taken, into a term that is added to the loss{added_at}: the loss you see "
            "includes the term, the gradient you train with does not, so it changes nothing "
            "in training.")
    return None
