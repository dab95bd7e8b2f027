"""Variables whose values reach no cut and no loss: unused parts of a model, shown where
their result is dropped (or the loop or branch that skips them), one finding per part."""
from __future__ import annotations

import linecache
import re

from gradtrace import frames
from gradtrace.analyze import dead_end, source_trace
from gradtrace.analyze.call import (GradientCall, Source, asking_at, mention_all_variables,
                                    sources_location)
from gradtrace.analyze.dataflow import ancestry
from gradtrace.analyze.gradient_values import target_location
from gradtrace.findings import Finding, Location


def output_without_loss(call: GradientCall, findings: list[Finding]) -> list[Finding]:
    """Unused variables of a model whose compile gave some outputs no loss: when the
    unused variables include such an output's own layer, that is the cut-off part."""
    missing, compiled_at, feeding_only = call.recorder.training
    unused = [f for f in findings if f.cause == "unused_variable"]
    names = [name for f in unused for name in f.variables]
    outputs = [o for o in missing if any(o in name.split("/") for name in names)]
    if not outputs and names and all(feeding_only & set(n.split("/")) for n in names):
        outputs = list(missing)  # the layers that feed only those outputs
    if not outputs or compiled_at is None:
        return _one_per_unused_part(call, findings)
    listed = ", ".join(f"`{o}`" for o in outputs)
    given_none = source_trace.none_entry_line(compiled_at, outputs[0])
    part = Finding(
        cause="unused_variable", variables=names,
        location=given_none or source_trace.keyword_line(compiled_at, "loss"),
        message=f"The model's output {listed} has no loss in this `compile(loss=...)`: Keras "
        "computes the loss over the outputs given one, so the layers that feed only "
        f"{listed} ({len(names)} variables) take no part in it.",
        variant="output_without_loss")
    return [part] + [f for f in findings if f.cause != "unused_variable"]


def _one_per_unused_part(call: GradientCall, findings: list[Finding]) -> list[Finding]:
    """Unused variables of one layer are shown where that layer is; those of several
    layers (a backbone's last stack that nothing reads) are one part of the model left
    out of the loss: one finding, at the line that built the list of variables asked
    for (else the gradient call)."""
    unused = [f for f in findings if f.cause == "unused_variable"]
    piece = _piece_of_model(call, unused)
    if piece is not None:
        return [piece] + [f for f in findings if f.cause != "unused_variable"]
    # a use under a condition that did not hold is its own cause, shown at its condition
    guarded = [f for f in unused if f.variant == "guarded_use"]
    unused = [f for f in unused if f.variant != "guarded_use"]
    if len({f.group or f.location for f in unused}) <= 1:
        return findings
    names = [name for f in unused for name in f.variables]
    layers = len({f.location for f in unused})
    part = Finding(cause="unused_variable", variables=names, location=sources_location(call),
                   message=f"`{names[0]}` from {layers} layers take no part in the loss: "
                   "nothing on the way to the loss reads them, while the other variables train.",
                   variant="model_part")
    return guarded + [part] + [f for f in findings if f.cause != "unused_variable"]


def _piece_of_model(call: GradientCall, unused: list[Finding]) -> Finding | None:
    """The unused variables are the rest of one model, of which the step calls a single
    layer directly (`self.backbone.token_embedding(ids)`): the model itself never runs."""
    names = [name for f in unused for name in f.variables]
    owner = _common_prefix(names)
    if not owner or len(names) < 2:
        return None
    unread = {s.key for s in call.sources if s.name in names}
    if any(_last_read_location(call, key) is not None for key in list(unread)[:50]):
        return None  # the model's other layers ran in the step: not this shape
    used = [s for s, r in zip(call.sources, call.results or ())
            if r is not None and s.is_variable and s.name.startswith(owner + "/")]
    for source in used[:20]:
        where = _last_read_location(call, source.key)
        if where is None or source.name.count("/") < owner.count("/") + 2 or \
                not source_trace.calls_nested_attribute(where):
            continue  # (a weight of the owner's own, not one of a layer inside it)
        part = source.name[len(owner) + 1:].split("/")[0]
        rest = sorted({n[len(owner) + 1:].split("/")[0] for n in names})
        listed = ", ".join(f"`{r}`" for r in rest[:4]) + (", ..." if len(rest) > 4 else "")
        return Finding(
            cause="unused_variable", variables=names, location=where,
            message=f"This line calls `{part}`, one layer of `{owner}`, directly; `{owner}` "
            f"itself never runs in the step, so its other layers ({listed}: {len(names)} "
            "variables) take no part in the loss, while the other variables train.",
            variant="piece_of_model")
    return None


def _common_prefix(names: list[str]) -> str:
    """The path that every name starts with (`gemma_backbone`), whole segments only."""
    parts = [n.split("/")[:-1] for n in names]
    common = []
    for segments in zip(*parts):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return "/".join(common)


def unexplained(call: GradientCall, source: Source, got: list) -> Finding:
    """A variable whose values reached neither the loss nor any cut."""
    return _read_in_dataset(call, source, got) or _overwritten_in_build(call, source, got) or \
        _unused(call, source, got) or call.finding(
        "disconnected", [source], call.location,
        f"`{source.name}` is not read anywhere on the way to the loss.")


def _unused(call: GradientCall, source: Source, got: list[Source]) -> Finding | None:
    if not got:
        return None
    where = _unused_location(call, source.key)
    info = source.info
    created = info.created_at if info else None
    defined = f", created at line {created.line}," if created and created != where else ""
    # Layers computed in one function whose results are dropped (`output = self.l2(x)`
    # overwriting `output = self.l1(x)`) are one mistake, shown at its first line.
    # (tf-keras makes a layer's variables at its first call: the read is the creation)
    computed = where is not None and (where != created or
                                      where.function not in ("<module>", "__init__", "build"))
    dropped = _dropped_added_loss(call, source)
    if dropped is not None:
        return dropped
    guarded = source_trace.guarded_use(where)
    if guarded is not None:
        guard_at = Location(where.file, guarded.guard_line, source_trace.enclosing_function(
            Location(where.file, guarded.guard_line, "")) or where.function)
        kind = ("a loop that ran zero times here" if guarded.guard in ("for", "while")
                else "a branch that did not run here")
        return call.finding(
            "unused_variable", [source], guard_at,
            f"`{source.name}` goes into `{guarded.name}` (line {where.line}), which is used "
            f"only under this `{guarded.guard}` (line {guarded.use_line}): {kind}, or one "
            "whose result does not reach the loss. So the variable never reaches the loss; "
            "the other variables train.",
            group=("unused_variable", "guarded", where.file, guarded.guard_line),
            variant="guarded_use")
    derivative = _differentiated_only(call, source)
    if derivative is not None:
        return derivative
    if not computed:
        referred = _referred_to(call, source, where, defined)
        if referred is not None:
            return referred
    group = ("unused_variable", "computed", where.file, where.function) if computed else ()
    dropped = source_trace.dropped_result(where) if computed else None
    if computed and where in call.live_lines and where != call.location:
        return _partly_used_line(call, source, where, defined, group)
    left_out = _output_left_out(call, source, where, defined) if computed else None
    if left_out is not None:
        return left_out
    if computed and dropped is None:
        state = _state_not_passed(call, source, where, defined) or \
            _passed_and_ignored(call, source, where, defined, group)
        if state is not None:
            return state
    if dropped is not None:
        return call.finding(
            "unused_variable", [source], where,
            f"`{source.name}`{defined} goes into `{dropped}`, computed here, and nothing "
            f"reads `{dropped}` afterwards: its result is dropped, so the variable never "
            "reaches the loss; the other variables train.", group=group,
            variant="dropped_result")
    return call.finding(
        "unused_variable", [source], where,
        f"`{source.name}`{defined} is computed as far as this line, and what the line makes "
        "never reaches the loss; the other variables train." if computed else
        f"`{source.name}`{defined} is computed but never reaches the loss; the other "
        "variables train.", group=group)


def _read_in_dataset(call: GradientCall, source: Source, got: list) -> Finding | None:
    """The variable is read only in a tf.data function, which runs outside every tape."""
    read = call.recorder.dataset_reads.get(source.key)
    if read is None or call.ancestry.reads.get(source.key):
        return None
    where, graph_name = read
    transformation = graph_name.split("_")[1] if graph_name.count("_") >= 1 else "map"
    return call.finding(
        "outside_tape", [source], where or call.location,
        f"`{source.name}` is read only here, in the function given to Dataset.{transformation}: "
        "tf.data runs it in its input pipeline, outside every tape, so what the step "
        "receives is a plain tensor with no link to the variable.",
        group=("outside_tape", "dataset", str(where)), variant="read_in_dataset",
        severity="warning" if got else "error")


def overwritten_weight_message(name: str, weight, consequence: str) -> str:
    """The words for a weight whose attribute `build` replaced with a tensor computed from
    it; `consequence` says what that does in the framework at hand."""
    return (f"`{name}` is made with add_weight at line {weight.made_line}, and this line "
            f"replaces `self.{weight.attribute}` with a tensor computed from it once, in "
            f"`{weight.overwritten.function}`: `call` uses that fixed tensor, so {consequence}. "
            f"Keep the weight in `self.{weight.attribute}` and compute the derived tensor in "
            "`call`.")


def _overwritten_in_build(call: GradientCall, source: Source, got: list) -> Finding | None:
    """`build` replaced the attribute holding the weight by a tensor computed from it
    (read once, in a graph or before any tape): `call` never reads the weight."""
    info = source.info
    weight = source_trace.overwritten_weight_at(info.created_at if info else None)
    if weight is None:
        return None
    return call.finding(
        "outside_tape", [source], weight.overwritten,
        overwritten_weight_message(source.name, weight, "the training step never reads the "
                                   "variable and the tape cannot link the loss to it"),
        group=("outside_tape", "overwritten", str(weight.overwritten)),
        variant="made_in_build", severity="warning" if got else "error")


def _differentiated_only(call: GradientCall, source: Source) -> Finding | None:
    """The variable reaches a tensor that an inner gradient call differentiated, and the
    loss uses that tensor only through its derivative (a PINN's `du/dx`): a term added
    after the last nonlinearity (the output layer's bias) has a derivative of zero."""
    for keys, asked_at in call.recorder.differentiated:
        if asked_at == call.location or any(k in call.ancestry.toward for k in keys):
            continue  # (this very call, or a target the loss also uses as it is)
        reads = ancestry(call.flow, list(keys), limit=20_000).reads
        if source.key not in reads:
            continue
        read_at = _line_naming(reads[source.key], source.name)
        if read_at is not None:  # the user's own term, not a layer's bias
            return call.finding(
                "unused_variable", [source], read_at,
                f"`{source.name}` enters the value differentiated at line {asked_at.line} only "
                "here, in a term that does not depend on what that line differentiates with "
                f"respect to: the term's derivative is zero, so `{source.name}` takes no part "
                "in the loss; the other variables train.",
                group=("unused_variable", "derivative", str(asked_at)),
                variant="derivative_only")
        info = source.info
        made = info.created_at if info is not None and info.created_at else asked_at
        return call.finding(
            "unused_variable", [source], made,
            f"`{source.name}` takes part in the value differentiated at line {asked_at.line}, "
            "and the loss uses that value only through its derivative: a term added after "
            "the last nonlinearity (a bias of the output layer, or of a linear layer before "
            "it) has a derivative of zero, so it takes no part in the loss; the other "
            "variables train.", group=("unused_variable", "derivative", str(asked_at)),
            variant="derivative_only")
    return None


def _line_naming(reads: list, variable_name: str) -> Location | None:
    """The user's line among the variable's reads that names it (`self.constant1`)."""
    short = variable_name.rsplit("/", 1)[-1].split(":")[0]
    for read in reads:
        where = getattr(read, "location", None)
        if where is not None and re.search(rf"\b{re.escape(short)}\b",
                                           linecache.getline(where.file, where.line)):
            return where
    return None


def _referred_to(call: GradientCall, source: Source, created: Location | None,
                 defined: str) -> Finding | None:
    """A variable the step never read, made as `self.<name>` in a layer: the one line of
    the layer's other methods that refers to it is where its use goes wrong (its value
    handed to something that does not reach the loss)."""
    name, lines = source_trace.attribute_reads(created)
    if len(lines) != 1:
        return None
    at = Location(created.file, lines[0], source_trace.enclosing_function(
        Location(created.file, lines[0], "")) or created.function)
    return call.finding(
        "unused_variable", [source], at,
        f"`{source.name}`{defined} is referred to only here, as `self.{name}`, and the step "
        "never read it: what this line does with it never reaches the loss; the other "
        "variables train.", group=("unused_variable", "referred", at.file, at.line),
        variant="referred_here")


def _partly_used_line(call: GradientCall, source: Source, where: Location, defined: str,
                      group: tuple) -> Finding:
    """A line whose results reach the loss in part (`h, y_pred = model(x)`): the one
    result that goes nowhere is named, and when it goes only into a function of the
    user's that never reads it (a loss function that ignores `y_pred`), that function's
    `return` is where to edit."""
    ignored = _passed_and_ignored(call, source, where, defined, group)
    if ignored is not None:
        return ignored
    unread = source_trace.unread_results(where)
    result = unread[0] if len(unread) == 1 else None
    named = (f" as `{result.name}`, which nothing after this line reads" if result else
             ": what it computes comes back here together with values that do reach the "
             "loss, and the code after this line uses only those")
    return call.finding(
        "unused_variable", [source], where,
        f"`{source.name}`{defined} reaches this line{named}; the other variables train.",
        group=group, variant="dropped_result")


def _passed_and_ignored(call: GradientCall, source: Source, where: Location, defined: str,
                        group: tuple) -> Finding | None:
    """The line's one unread result goes only into a function or layer of the user's
    that never reads the parameter it binds (`loss_fn(y, y_pred)` returning `sum(y)`,
    `self.decoder(encoded, y_hist)` whose `call(self, _, y_hist)` drops it): where to edit
    is that function."""
    unread = [r for r in source_trace.unread_results(where) if r.callee]
    if len(unread) != 1:
        return None
    result = unread[0]
    at = Location(where.file, result.ignored_at, result.callee)
    return call.finding(
        "unused_variable", [source], at,
        f"`{source.name}`{defined} reaches line {where.line} as `{result.name}`, which "
        f"is passed to `{result.callee}` (line {result.passed_line}) as `{result.parameter}`; "
        f"`{result.callee}` never reads `{result.parameter}`, so what it returns is computed "
        "without it and the variable never reaches the loss; the other variables train.",
        group=("unused_variable", "ignored", where.file, result.ignored_at),
        variant="ignored_parameter")


def _output_left_out(call: GradientCall, source: Source, where: Location,
                     defined: str) -> Finding | None:
    """A layer's `call` returns the variable's result as one element of a tuple, and the
    code that applies the layer keeps another element only: `bert(inp)[0]`, `outputs =
    bert(inp)` then only `outputs[0]`, `seq, _ = bert(inp)`; through layers whose `call`
    returns the inner layer's result whole (`return self.bert(ids)`)."""
    position = source_trace.returned_position(where) if where.function == "call" else None
    inner = where
    for _ in range(4) if position is not None else ():
        layer, site = _application_of(call, inner)
        use = source_trace.result_use(site) if site is not None else None
        if use is None:
            return None
        if use.kind == "return" and site.function == "call":
            inner = site  # passed on whole: what the outer layer's caller keeps decides
            continue
        if use.kind == "index" and use.element != position:
            kept = f"keeps only element {use.element}"
        elif use.kind == "unpack" and position in use.unused:
            kept = f"unpacks it and never reads element {position}"
        else:
            return None
        at = Location(site.file, use.line, site.function)
        return call.finding(
            "unused_variable", [source], at,
            f"`{source.name}`{defined} goes into what `{layer.name}` returns as element "
            f"{position} (line {where.line}); {'this line' if use.line == site.line else f'the code that applies `{layer.name}` (line {site.line})'} "
            f"{kept}, so the variable never reaches the loss; the other variables train.",
            group=("unused_variable", "left_out", str(at)), variant="element_left_out")
    return None


def _state_not_passed(call: GradientCall, source: Source, where: Location,
                      defined: str) -> Finding | None:
    """The variable's values end in a recurrent layer's final state that nothing reads,
    and a recurrent layer applied later in the same function starts from zeros (no
    `initial_state=`): an encoder whose state the decoder was meant to start from."""
    unread = source_trace.unread_descendants(where)
    if not unread:
        return None
    name, line = unread[-1]
    later = set(source_trace.calls_without_keyword(where, line, "initial_state"))
    sites = [(reference(), site) for site, reference in list(call.recorder.layer_at_site.items())
             if site.file == where.file]
    recurrent = sorted(((layer, site) for layer, site in sites
                        if layer is not None and _is_recurrent(layer)), key=lambda p: p[1].line)
    if not any(where.line <= site.line <= line for _, site in recurrent):
        return None  # what is left unread is not a recurrent layer's state
    for layer, site in recurrent:
        if site.line not in later:
            continue
        return call.finding(
            "unused_variable", [source], site,
            f"`{source.name}`{defined} goes into `{name}` (line {line}), a recurrent "
            f"layer's final state that nothing reads; `{layer.name}`, applied here, is given "
            f"no `initial_state`, so it starts from zeros and the variable never reaches the "
            f"loss. Pass `initial_state={name}` if it should start from that state.",
            group=("unused_variable", "state", str(site)), variant="state_not_passed")
    return None


def _is_recurrent(layer) -> bool:
    """A Keras RNN layer (LSTM, GRU, `RNN(cell)`) or a wrapper of one."""
    inner = getattr(layer, "forward_layer", None) or layer
    return hasattr(inner, "cell") and hasattr(inner, "return_state")


def _application_of(call: GradientCall, inside: Location):
    """The layer whose `call` holds `inside`, and the user's line that applied it: its own
    line, else that of a layer whose `call` returns its result whole (`return
    self.bert(ids)`; Keras applies the inner layer to no symbolic input of its own)."""
    starts = source_trace.function_line(inside)

    def holds(layer) -> bool:
        code = getattr(getattr(type(layer), "call", None), "__code__", None)
        return code is not None and (code.co_filename, code.co_firstlineno) == \
            (inside.file, starts)

    sites = [(layer, site) for layer, site in list(call.recorder.operation_sites.items())
             if site is not None]
    for layer, site in sites:
        if holds(layer):
            return layer, site
    for layer, site in sites:
        outer = getattr(getattr(type(layer), "call", None), "__code__", None)
        for attribute, value in list(vars(layer).items())[:200]:
            if outer is not None and holds(value) and \
                    source_trace.returns_attribute_call(outer, attribute):
                return layer, site
    return None, None


def _dropped_added_loss(call: GradientCall, source: Source) -> Finding | None:
    """The variable feeds a tensor given to `add_loss`, which the loss does not include."""
    for kept, added_at in call.recorder.added_losses:
        key = kept if isinstance(kept, int) else call.flow.key(kept)
        if key in call.ancestry.toward or key in call.target_keys:
            continue
        if source.key in ancestry(call.flow, [key], limit=50_000).reads:
            line = f" (line {added_at.line})" if added_at else ""
            return call.finding(
                "unused_variable", [source], target_location(call),
                f"`{source.name}` reaches the loss given to `add_loss`{line} and nothing "
                "else; the loss computed here, which the gradient is taken of, does not add "
                "the layers' `losses`, so that term is dropped and the variable gets no "
                "gradient.", group=("unused_variable", "add_loss", str(added_at)),
                variant="added_loss_dropped")
    return None


def _unused_location(call: GradientCall, handle) -> Location | None:
    """Where the unused variable was last read in the step, else where it was created.

    When the read sits under the very line that asked for the gradient (`fit`,
    `check_model`), it says little; the creation site (a functional `Dense(...)(h)`
    line, a `build`) says more.
    """
    read = _last_read_location(call, handle)
    if read is not None and read != call.location:
        return read  # else the forward pass ran inside a library call (fit, check_model)
    info = call.recorder.variables.get(handle)
    return info.created_at if info else None


def _last_read_location(call: GradientCall, handle) -> Location | None:
    """The step's last read of the variable, or the line where its values stop
    (`dead_end`): a block class used twice runs the read's line for used layers too."""
    if call.compiled and call.target_keys:
        reads = call.flow.graph_reads(call.target_keys[0], handle)
        if reads:  # traced: the step's own read of the variable, from its traceback
            return (dead_end.traced_where_values_stop(reads, call.live_lines, asking_at(call))
                    or frames.location_from_stack(reads[-1].traceback))
    ops = call.step_ops
    reads = [node for node in ops if handle in node.handles and node.location is not None]
    if not reads:
        return None
    return (dead_end.where_values_stop(ops, reads, call.live_lines, asking_at(call))
            or reads[-1].location)


def non_trainable(call: GradientCall, sources: list[Source]) -> Finding:
    """`tape.gradient(loss, model.variables)`: the non-trainable variables in the list
    (BatchNormalization's moving statistics, counters) are updated by assignment, and a
    tape never watches them."""
    finding = call.finding(
        "unused_variable", sources, sources_location(call),
        f"`{sources[0].name}` is a non-trainable variable (a statistic such as "
        "BatchNormalization's moving mean, updated by assignment, not by gradients): the tape "
        "does not watch it, so its gradient is None. Ask for `model.trainable_variables` "
        "instead of `model.variables` or `model.weights`.", variant="non_trainable")
    mention_all_variables(finding)
    return finding
