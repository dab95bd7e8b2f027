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


def test_what_a_line_hands_back_to_its_caller(tmp_path):
    from gradtrace.analyze.source_trace import flows_out
    from gradtrace.findings import Location

    program = tmp_path / "blocks.py"
    program.write_text(
        "def block(x):\n"
        "    y = f(x)\n"                                 # 2: returned as it is
        "    return y\n"
        "def packed(x):\n"
        "    a = f(x)\n"                                 # 5: packed into a returned tuple
        "    out = (x, a)\n"
        "    return out\n"
        "def picked(x):\n"
        "    outs = f(x)\n"                              # 9: only a part goes on
        "    first = outs[0]\n"
        "    return first\n"
        "def dropped(x):\n"
        "    u = f(x)\n"                                 # 13: never used
        "    return g(x)\n"
        "def branched(x):\n"
        "    v = f(x)\n"                                 # 16: returned under a condition only
        "    if x:\n"
        "        return v\n"
        "    return x\n")
    at = lambda line: Location(str(program), line, "")  # noqa: E731
    assert flows_out(at(2)) and flows_out(at(5))
    assert not flows_out(at(9)) and not flows_out(at(13)) and not flows_out(at(16))


def test_a_name_never_read_after_its_line_is_a_dropped_result(tmp_path):
    from gradtrace.analyze.source_trace import dropped_result
    from gradtrace.findings import Location

    program = tmp_path / "model.py"
    program.write_text(
        "def call(x):\n"
        "    u3 = up(x)\n"
        "    u3 = conv(u3)\n"
        "    u2 = up(x)\n"
        "    return u2\n")
    assert dropped_result(Location(str(program), 3, "call")) == "u3"
    assert dropped_result(Location(str(program), 2, "call")) is None  # read on line 3


def test_the_layer_written_inside_a_sequential_statement(tmp_path):
    from gradtrace.analyze.source_trace import constructor_line
    from gradtrace.findings import Location

    program = tmp_path / "seq.py"
    program.write_text(
        "model = keras.Sequential([\n"
        "    keras.Input((1,)),\n"
        "    keras.layers.Dense(1,\n"
        "                       use_bias=False),\n"
        "    keras.layers.Dense(1)])\n")
    at = Location(str(program), 1, "<module>")
    assert constructor_line(at, "Dense", 0) == 3
    assert constructor_line(at, "Dense", 1) == 5
    assert constructor_line(at, "Dense", 2) is None


def test_a_line_that_makes_a_weight_or_a_layer_is_told_from_one_that_calls_one(tmp_path):
    from gradtrace.analyze.source_trace import makes_state
    from gradtrace.findings import Location

    program = tmp_path / "layer.py"
    program.write_text(
        "def call(self, x):\n"
        "    kernel = self.add_weight(shape=(4, 1),\n"
        "                             trainable=True)\n"
        "    y = Dense(4)(x)\n"
        "    return self.dense(y) @ kernel\n")
    assert makes_state(Location(str(program), 2, "call"))
    assert makes_state(Location(str(program), 4, "call"))
    assert not makes_state(Location(str(program), 5, "call"))


def test_the_sources_written_in_a_traced_gradient_call(tmp_path):
    from gradtrace.analyze.source_trace import sources_expression_at
    from gradtrace.findings import Location

    program = tmp_path / "attack.py"
    program.write_text(
        "def step(x, eta):\n"
        "    loss = model(x + eta)\n"
        "    grad, = tf.gradients(loss, x + eta)\n"
        "    g = tape.gradient(loss, [x])\n")
    assert sources_expression_at(Location(str(program), 3, "step")) == "x + eta"
    assert sources_expression_at(Location(str(program), 4, "step")) == "[x]"
    assert sources_expression_at(Location(str(program), 2, "step")) is None


def step_appending_python_floats():
    pred = FakeTensor()
    history = []
    history.append(float(3.0) + id(pred) * 0.0)
    loss = sum(history)
    return Tape().gradient(loss, [])


def test_a_python_value_appended_to_a_list_is_found():
    from gradtrace.analyze.source_trace import numpy_results

    frame, line = step_appending_python_floats()
    found = numpy_results(frame, line, is_tensor)
    assert [(name, expression) for _, _, name, expression in found] == \
        [("pred", "float(3.0) + id(pred) * 0.0")]


def test_a_result_never_read_or_read_only_by_a_function_that_ignores_it(tmp_path):
    from gradtrace.analyze.source_trace import unread_results
    from gradtrace.findings import Location

    program = tmp_path / "loop.py"
    program.write_text(
        "def my_loss(y_true, y_pred, hidden):\n"
        "    return sum(hidden) + 0 * len(y_true)\n"
        "\n"
        "def step(model, x, y):\n"
        "    hidden, y_pred = model(x)\n"
        "    return my_loss(y, y_pred, hidden)\n"
        "\n"
        "def other(model, x):\n"
        "    probs, value = model(x)\n"
        "    return probs\n")
    [ignored] = unread_results(Location(str(program), 5, "step"))
    assert (ignored.name, ignored.callee, ignored.parameter) == ("y_pred", "my_loss", "y_pred")
    assert (ignored.passed_line, ignored.ignored_at) == (6, 2)
    [dropped] = unread_results(Location(str(program), 9, "other"))
    assert (dropped.name, dropped.callee) == ("value", "")


def test_a_result_a_closure_reads_is_not_unread(tmp_path):
    from gradtrace.analyze.source_trace import unread_results
    from gradtrace.findings import Location

    program = tmp_path / "closure.py"
    program.write_text(
        "def step(model, x):\n"
        "    probs, value = model(x)\n"
        "    later = lambda: value\n"
        "    return probs, later\n")
    assert unread_results(Location(str(program), 2, "step")) == []


def test_how_a_class_uses_an_attribute_and_where_it_refers_to_a_weight(tmp_path, monkeypatch):
    import importlib.util

    from gradtrace import frames
    from gradtrace.analyze.source_trace import attribute_reads, attribute_use
    from gradtrace.findings import Location

    program = tmp_path / "layers.py"
    program.write_text(
        "class Block:\n"
        "    def __init__(self):\n"
        "        self.used = 1\n"
        "        self.spare = 2\n"
        "        self.stages = []\n"
        "        self.stages.append(3)\n"
        "\n"
        "    def build(self):\n"
        "        self.w = 4\n"
        "\n"
        "    def call(self, x):\n"
        "        return x * self.used + copy(weights=[self.w])\n")
    spec = importlib.util.spec_from_file_location("layers", program)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(frames, "is_user_file", lambda name: name == str(program))
    assert attribute_use(module.Block, "used").read_elsewhere
    spare = attribute_use(module.Block, "spare")
    assert (spare.made_at, spare.read_elsewhere) == (4, False)
    assert attribute_use(module.Block, "stages").made_at == 5
    assert attribute_reads(Location(str(program), 9, "build")) == ("w", [12])


def test_a_weight_that_build_overwrites_with_a_tensor_computed_from_it(tmp_path, monkeypatch):
    import importlib.util

    from gradtrace import frames
    from gradtrace.analyze.source_trace import overwritten_weights

    program = tmp_path / "masked.py"
    program.write_text(
        "class MaskedDense:\n"
        "    def build(self, shape):\n"
        "        self.kernel = self.add_weight(name='w', shape=shape)\n"
        "        self.kernel = self.kernel * self.mask\n"
        "        self.bias = self.add_weight(shape=shape)\n"
        "        self.scale = self.add_weight(shape=shape)\n"
        "        self.scale = other(self.bias)\n"
        "\n"
        "    def call(self, x):\n"
        "        self.bias = self.bias * 2\n"
        "        return x\n")
    spec = importlib.util.spec_from_file_location("masked", program)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(frames, "is_user_file", lambda name: name == str(program))
    [found] = overwritten_weights(module.MaskedDense)
    assert (found.attribute, found.weight_name, found.made_line) == ("kernel", "w", 3)
    assert (found.overwritten.line, found.overwritten.function) == (4, "build")


def test_which_returned_element_a_line_makes_and_which_one_the_caller_keeps(tmp_path):
    from gradtrace.analyze.source_trace import (ResultUse, function_line, result_use,
                                                returned_position)
    from gradtrace.findings import Location

    program = tmp_path / "encoder.py"
    program.write_text(
        "class Encoder:\n"
        "    def call(self, x):\n"
        "        h = self.body(x)\n"
        "        pooled = self.pooler(h)\n"
        "        return h, pooled\n"
        "\n"
        "features = encoder(inputs)[0]\n"
        "both = encoder(inputs)\n"
        "outputs = encoder(inputs)\n"
        "cls = outputs[0][:, 0]\n"
        "again = outputs[0]\n"
        "sequence, _ = encoder(inputs)\n"
        "print(sequence)\n"
        "class Wrapper:\n"
        "    def call(self, x):\n"
        "        return self.encoder(x)\n")
    at = lambda line: Location(str(program), line, "<module>")  # noqa: E731
    assert returned_position(Location(str(program), 4, "call")) == 1
    assert returned_position(Location(str(program), 3, "call")) == 0
    assert function_line(Location(str(program), 4, "call")) == 2
    assert result_use(at(7)) == ResultUse("index", 7, 0)
    assert result_use(at(8)) is None  # `both` is never read: no element is chosen
    assert result_use(at(9)) == ResultUse("index", 10, 0)  # every read takes element 0
    assert result_use(at(12)) == ResultUse("unpack", 12, unused=(1,))
    assert result_use(Location(str(program), 16, "call")) == ResultUse("return", 16)


def test_where_a_result_flows_and_which_names_nobody_reads(tmp_path):
    from gradtrace.analyze.source_trace import calls_without_keyword, unread_descendants
    from gradtrace.findings import Location

    program = tmp_path / "seq2seq.py"
    program.write_text(
        "def forward(self, x, y):\n"
        "    h = self.embed(x)\n"
        "    outputs, state_h, state_c = self.encoder(h)\n"
        "    states = [state_h, state_c]\n"
        "    dec = self.decoder(y)\n"
        "    return self.head(dec, initial_state=None)\n")
    at = Location(str(program), 2, "forward")
    assert unread_descendants(at) == [("outputs", 3), ("states", 4)]
    assert calls_without_keyword(at, 4, "initial_state") == [5]


def test_the_line_inside_a_with_block_that_makes_a_name(tmp_path):
    from gradtrace.analyze.source_trace import made_inside_with

    program = tmp_path / "saliency.py"
    program.write_text(
        "def saliency(tf, x_np):\n"
        "    x = 0\n"
        "    with tf.GradientTape() as tape:\n"
        "        x = tf.constant(x_np)\n"
        "        y = x * 2\n"
        "    return tape.gradient(y, x)\n")

    class Code:
        co_filename, co_firstlineno, co_name = str(program), 1, "saliency"

    class Frame:
        f_code = Code

    assert made_inside_with(Frame, 3, "x") == 4
    assert made_inside_with(Frame, 3, "z") is None
    assert made_inside_with(Frame, 2, "x") is None  # no `with` opens on that line


def test_a_result_passed_to_a_layer_whose_call_never_reads_it(tmp_path):
    from gradtrace.analyze.source_trace import unread_results
    from gradtrace.findings import Location

    program = tmp_path / "autoencoder.py"
    program.write_text(
        "class Decoder:\n"
        "    def call(self, _, y_hist):\n"
        "        return self.fc(y_hist)\n"
        "class AutoEncoder:\n"
        "    def __init__(self):\n"
        "        self.decoder = Decoder()\n"
        "    def call(self, x, y_hist):\n"
        "        encoded = self.encoder(x)\n"
        "        return self.decoder(encoded, y_hist)\n")
    [result] = unread_results(Location(str(program), 8, "call"))
    assert (result.name, result.callee, result.parameter) == ("encoded", "Decoder.call", "_")
    assert (result.passed_line, result.ignored_at) == (9, 2)  # the layer's `def call` line


def test_where_a_numpy_input_that_holds_nan_is_made(tmp_path):
    from gradtrace.analyze.source_trace import made_line
    from gradtrace.findings import Location

    program = tmp_path / "reinforce.py"
    program.write_text(
        "class Agent:\n"
        "    def learn(self, trajectory):\n"
        "        returns = self._normalize()\n"
        "        trajectory['adv'] = trajectory['adv'] - trajectory['adv'].mean()\n"
        "        trajectory['adv'] = trajectory['adv'] / trajectory['adv'].std()\n"
        "        trajectory = dict(trajectory)\n"
        "        return self.step(returns, trajectory)\n"
        "    def _normalize(self):\n"
        "        r = np.zeros(3)\n"
        "        r -= r.mean()\n"
        "        r /= r.std()\n"
        "        return r\n")
    at = Location(str(program), 7, "learn")
    assert made_line(at, "trajectory", "adv") == Location(str(program), 5, "learn")
    assert made_line(at, "returns") == Location(str(program), 11, "_normalize")
