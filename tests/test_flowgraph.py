"""The picture's data: routes to a graph, the graph to a layer view, and graph op scopes.
Built from hand-made op records: no TensorFlow needed."""
from gradtrace.analyze.dataflow import graph_op_scope
from gradtrace.analyze.flowgraph import LOSS, FlowGraph, FlowOp
from gradtrace.findings import Location
from gradtrace.record.events import OpNode


def op(op_type: str, scope: str, inputs=(), line: int = 10) -> OpNode:
    return OpNode(op_type, tuple(inputs), (object(),), (None,),
                  Location("/home/me/train.py", line, "train_step"), True, scope=scope)


def chain(*nodes: OpNode) -> list[OpNode]:
    """Wire each op's input to the previous one's output, as a route."""
    for before, after in zip(nodes, nodes[1:]):
        after.inputs = after.inputs + (before.outputs[0],)
    return list(nodes)


def residual_model():
    read_a = op("ReadVariableOp", "model/dense/")
    matmul = op("MatMul", "model/dense/")
    read_b = op("ReadVariableOp", "model/branch/")
    branch = op("MatMul", "model/branch/")
    add = op("AddV2", "model/add/")
    argmax = op("ArgMax", "", line=20)
    cast = op("Cast", "", line=21)
    mean = op("Mean", "", line=21)
    chain(read_a, matmul, add, argmax, cast, mean)
    chain(read_b, branch)
    chain(matmul, branch)  # the branch reads the first layer's output too
    add.inputs += (branch.outputs[0],)
    return locals()


def graph_of(ops, variables=("model/dense/kernel", "model/branch/kernel")) -> FlowGraph:
    loss = Location("/home/me/train.py", 21, "train_step")
    first = FlowGraph.from_route(variables[0], [ops["read_a"], ops["matmul"], ops["add"],
                                                ops["argmax"], ops["cast"], ops["mean"]],
                                 ops["argmax"], loss)
    second = FlowGraph.from_route(variables[1], [ops["read_b"], ops["branch"], ops["add"],
                                                 ops["argmax"], ops["cast"], ops["mean"]],
                                  ops["argmax"], loss)
    first.merge(second)
    producers = {node.outputs[0]: node for node in ops.values()}
    first.connect(producers.get)
    return first


def test_routes_merge_into_one_graph_ending_at_the_loss():
    ops = residual_model()
    graph = graph_of(ops)
    assert len(graph.ops) == 8
    assert (id(ops["mean"]), LOSS) in graph.edges
    assert graph.breaks() == [id(ops["argmax"])]
    assert set(graph.variables) == {"model/dense/kernel", "model/branch/kernel"}


def test_connect_adds_the_recorded_edges_the_routes_did_not_take():
    ops = residual_model()
    graph = graph_of(ops)
    assert (id(ops["matmul"]), id(ops["branch"])) in graph.edges


def test_layer_view_groups_ops_by_layer_with_the_break_and_loss_on_their_own():
    view = graph_of(residual_model()).layer_view()
    kinds = sorted(node.kind for node in view.nodes.values())
    assert kinds == ["break", "layer", "layer", "layer", "layer", "loss", "variable", "variable"]
    layers = {node.label: len(node.ops) for node in view.nodes.values() if node.kind == "layer"}
    # The model's name, shared by every layer, is left out; ops outside any layer are
    # grouped under the user's function.
    assert layers == {"dense": 2, "branch": 2, "add": 1, "train_step()": 2}
    [brk] = [n for n in view.nodes.values() if n.kind == "break"]
    assert brk.label == "ArgMax" and brk.location.line == 20


def test_layer_view_edges_follow_the_data_and_variables_sit_beside_their_layer():
    view = graph_of(residual_model()).layer_view()
    label = {nid: node.label for nid, node in view.nodes.items()}
    edges = {(label[a], label[b]) for a, b in view.edges}
    assert {("dense", "branch"), ("dense", "add"), ("branch", "add"), ("add", "ArgMax"),
            ("ArgMax", "train_step()"), ("train_step()", "loss")} <= edges
    assert {(label[v], label[layer]) for v, layer in view.same_rank} == {
        ("kernel", "dense"), ("kernel", "branch")}


def test_a_layer_running_before_and_after_the_break_is_split_so_no_cycle_appears():
    read = op("ReadVariableOp", "q/")
    matmul = op("MatMul", "q/")
    round_ = op("Round", "q/")
    div = op("RealDiv", "q/")
    route = chain(read, matmul, round_, div)
    view = FlowGraph.from_route("q/kernel", route, round_).layer_view()
    layers = [n for n in view.nodes.values() if n.kind == "layer"]
    assert sorted(len(n.ops) for n in layers) == [1, 2]
    label = {nid: f"{n.label}:{len(n.ops)}" for nid, n in view.nodes.items()}
    assert {("q:2", "Round:1"), ("Round:1", "q:1"), ("q:1", "loss:0")} <= {
        (label[a], label[b]) for a, b in view.edges}


def test_a_cut_is_one_node_however_many_variables_reach_it():
    where = Location("/home/me/train.py", 29, "<module>")
    graphs = [FlowGraph.from_route(name, [], cut=FlowOp("gen.predict", "", "break",
                                                        "returns NumPy", fixed_location=where))
              for name in ("gen/a", "gen/b", "gen/c")]
    for other in graphs[1:]:
        graphs[0].merge(other)
    graph = graphs[0]
    assert len(graph.ops) == 1 and not graph.reaches_loss
    view = graph.layer_view()
    [brk] = [nid for nid, n in view.nodes.items() if n.kind == "break"]
    assert view.detached == {(brk, "loss")}
    assert sum(b == brk for _, b in view.edges) == 3


def test_graph_to_dict_names_ops_layers_and_the_loss():
    data = graph_of(residual_model()).to_dict()
    assert {o["layer"] for o in data["ops"]} == {"model/dense", "model/branch", "model/add",
                                                  "train_step()"}
    assert [o["op"] for o in data["ops"] if o["role"] == "break"] == ["ArgMax"]
    assert data["loss"] == {"location": {"file": "/home/me/train.py", "line": 21,
                                         "function": "train_step", "code": ""},
                            "reached": True}
    ids = {o["id"] for o in data["ops"]} | {"loss"}
    assert all(a in ids and b in ids for a, b in data["edges"])


def test_graph_op_scope_prefers_keras_names_over_the_graphs_unique_ones():
    keras_scopes = {"sequential_1": "sequential", "sequential_1/hidden_1": "sequential/hidden"}
    assert graph_op_scope("sequential_1/hidden_1/Cast/ReadVariableOp", keras_scopes) == \
        "sequential/hidden"
    assert graph_op_scope("sequential_1/Relu", keras_scopes) == "sequential"


def test_graph_op_scope_drops_tensorflows_inner_scopes_without_keras_names():
    assert graph_op_scope("rater/rating_hidden/MatMul/ReadVariableOp", {}) == \
        "rater/rating_hidden"
    assert graph_op_scope("Mean", {}) == ""


def test_routes_added_to_one_graph_draw_the_same_as_merged_graphs():
    """add_route stops where a route meets ops already drawn: nothing may be lost."""
    ops = residual_model()
    routes = {"model/dense/kernel": [ops[n] for n in ("read_a", "matmul", "add", "argmax",
                                                      "cast", "mean")],
              "model/branch/kernel": [ops[n] for n in ("read_b", "branch", "add", "argmax",
                                                       "cast", "mean")]}
    shared = FlowGraph()
    merged = None
    for name, route in routes.items():
        shared.add_route(name, route, ops["argmax"])
        alone = FlowGraph.from_route(name, route, ops["argmax"])
        merged = alone if merged is None else (merged.merge(alone) or merged)
    assert shared.ops.keys() == merged.ops.keys()
    assert shared.edges == merged.edges
    assert shared.variables == merged.variables
    assert [op.role for op in shared.ops.values()] == [op.role for op in merged.ops.values()]
