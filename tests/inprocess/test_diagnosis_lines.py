"""The line a finding points at, for shapes where the cut and the line to edit differ:
each test marks the expected line with a `# <- name` comment."""
import warnings

import numpy as np
import tensorflow as tf

import gradtrace

keras = tf.keras


def line_of(marker: str) -> int:
    with open(__file__) as source:
        for number, text in enumerate(source, 1):
            if text.rstrip().endswith(f"# <- {marker}"):
                return number
    raise AssertionError(marker)


def first_finding(step):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        step()
    found = [w.message for w in caught if isinstance(w.message, gradtrace.GradientWarning)]
    assert found, "no GradientWarning"
    return found[0].findings[0]


def square(x):
    return x ** 2


def test_a_forward_pass_inside_the_gradient_call_points_at_that_call():
    """`t.gradient(f(x), x)` after the block: the op sits in `f`, the line to edit is the
    one that called `f` after the tape stopped."""
    x = tf.constant(3.0)

    @gradtrace.explain()
    def derivative():
        with tf.GradientTape() as t:
            t.watch(x)
        return t.gradient(square(x), x)  # <- gradient-call

    finding = first_finding(derivative)
    assert finding.cause == "outside_tape"
    assert finding.location.line == line_of("gradient-call")


def test_a_forward_pass_run_by_the_caller_points_at_the_caller_line():
    w = tf.Variable([[1.0], [2.0]], name="w")
    x = tf.constant([[1.0, 1.0]])

    def train_step(prediction):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(prediction ** 2)
        return tape.gradient(loss, [w])

    @gradtrace.explain()
    def loop():
        prediction = tf.matmul(x, w)  # <- forward-pass
        return train_step(prediction)

    finding = first_finding(loop)
    assert (finding.cause, finding.variables) == ("outside_tape", ["w"])
    assert finding.location.line == line_of("forward-pass")


def test_nan_points_at_the_op_singular_at_its_values_not_the_first_on_the_route():
    """`(x - 1) ** 2` is on the route too, and Pow can be singular; at x = 1e-30 only
    the norm's square root of 0 is."""
    x = tf.Variable(1e-30)

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            y = tf.norm(x * x)  # <- norm
            loss = y + (x - 1.0) ** 2
        return tape.gradient(loss, x)

    finding = first_finding(step)
    assert finding.cause == "nonfinite_gradient"
    assert finding.location.line == line_of("norm")
    assert finding.variables == ["x (Variable)"]  # the user's name for an unnamed one


def test_nan_from_a_side_input_of_the_route_points_at_that_op():
    """d(alpha * log(x))/d(alpha) is log(x): NaN for negative x, though Log is not
    downstream of alpha."""
    x = tf.constant([-1.0, 2.0])
    alpha = tf.Variable(1.0, name="alpha")

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            logs = tf.math.log(x)  # <- log
            loss = tf.reduce_sum(tf.where(x >= 0, alpha * logs, tf.zeros_like(x)))
        return tape.gradient(loss, alpha)

    finding = first_finding(step)
    assert finding.cause == "nonfinite_gradient"
    assert finding.location.line == line_of("log")


def test_a_slice_taken_after_the_loss_points_where_its_source_left_the_tape():
    r = tf.ones((2, 3))

    @gradtrace.explain()
    def step():
        noised = r + 1.0  # <- before-tape
        with tf.GradientTape() as tape:
            tape.watch(r)
            losses = tf.reduce_sum(noised ** 2, axis=1)
        rows = tf.unstack(r)
        return tape.gradient(losses[0], rows[0])

    finding = first_finding(step)
    assert finding.cause == "outside_tape"
    assert finding.location.line == line_of("before-tape")


def test_a_target_typed_in_as_a_constant_points_at_that_constant():
    image = tf.ones((1, 4))

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            score = tf.constant([4.5])  # <- constant
            return tape.gradient(score, image)

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("disconnected", "constant_target")
    assert finding.location.line == line_of("constant")


def test_a_gradient_wrt_a_derived_tensor_the_target_skips_points_at_the_target_read():
    """Integrated gradients with the prediction made from `x`, not its interpolations."""
    x = tf.ones((1, 3))

    @tf.function
    def attributions(x):
        prediction = tf.reduce_sum(x ** 2)  # <- prediction
        steps = tf.linspace(0.0, 1.0, 4)[:, None] * x
        return tf.gradients(prediction, steps)

    finding = first_finding(gradtrace.explain()(lambda: attributions(x)))
    assert (finding.cause, finding.variant) == ("wrong_sources", "target_from_other_path")
    assert finding.location.line == line_of("prediction")


class Polynomial(keras.layers.Layer):
    def __init__(self, degree, **kwargs):
        super().__init__(**kwargs)
        self.degree = degree

    def build(self, input_shape):
        self.w = self.add_weight(shape=(4,), initializer="ones", name="w")
        self.shape_param = self.add_weight(shape=(1,), initializer="ones", name="shape_param")

    def call(self, x):
        scaled = tf.nn.elu(self.shape_param)
        y = self.w[0] + self.w[1] * x
        for degree in range(2, self.degree):  # <- empty-loop
            y += self.w[degree] * x ** degree * scaled
        return y


def test_weights_used_only_in_a_loop_that_ran_zero_times_point_at_the_loop():
    layer = Polynomial(2)
    x = tf.ones((2, 1))

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(x))
        return tape.gradient(loss, layer.trainable_variables)

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("unused_variable", "guarded_use")
    assert finding.location.line == line_of("empty-loop")
    assert any("shape_param" in name for name in finding.variables)


class WithAuxiliaryLoss(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.main = keras.layers.Dense(1, name="main")
        self.aux = keras.layers.Dense(1, name="aux")

    def call(self, x):
        self.add_loss(tf.reduce_mean(self.aux(x) ** 2))
        return self.main(x)


def test_a_loss_that_leaves_out_add_loss_terms_points_at_the_loss():
    layer = WithAuxiliaryLoss()
    x = tf.ones((2, 3))

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(layer(x))  # <- loss-without-losses
        return tape.gradient(loss, layer.trainable_variables)

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("unused_variable", "added_loss_dropped")
    assert finding.location.line == line_of("loss-without-losses")
    assert all("aux" in name for name in finding.variables)


def test_the_values_test_for_singular_ops():
    from gradtrace.record.events import at_singular_point

    assert at_singular_point("Sqrt", [np.array([0.0, 1.0])])
    assert not at_singular_point("Sqrt", [np.array([0.5, 1.0])])
    assert at_singular_point("RealDiv", [np.array([1.0]), np.array([0.0])])
    assert not at_singular_point("Pow", [np.array([-1.0]), np.array(2.0)])
    assert at_singular_point("Pow", [np.array([0.0]), np.array(0.5)])
    assert at_singular_point("Log", [np.array([-2.0])])


def test_a_model_that_trains_into_nan_names_the_sqrt_in_its_lambda():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6,))
    hidden = keras.layers.Dense(8, activation="relu", name="middle")(inputs)
    root = keras.layers.Lambda(lambda h: tf.sqrt(h), name="root")(hidden)  # <- sqrt
    model = keras.Model(inputs, keras.layers.Dense(1, name="out")(root))
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).normal(size=(32, 6)).astype("float32")

    @gradtrace.explain()
    def train():
        model.fit(x, x[:, :1], epochs=2, batch_size=8, verbose=0)

    finding = first_finding(train)
    assert finding.cause == "nonfinite_gradient"
    assert finding.location.line == line_of("sqrt")


def test_a_traced_loop_that_writes_nan_into_a_weight_names_the_sqrt():
    """The step is traced once (no values then); after the loop, the weight that was
    finite when it was traced holds NaN: the sqrt on its route is named."""
    w = tf.Variable(1.0, name="w")
    optimizer = keras.optimizers.SGD(0.1)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.sqrt(tf.abs(w - 1.0))  # <- traced-sqrt
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])

    @gradtrace.explain()
    def train():
        for _ in range(3):
            step()

    finding = first_finding(train)
    assert (finding.cause, finding.variables) == ("nonfinite_gradient", ["w"])
    assert finding.location.line == line_of("traced-sqrt")


def test_a_zero_initialised_adapter_is_no_symmetry_problem():
    """LoRA starts B at zero: A's gradient is zero in the first step only."""
    rng = np.random.default_rng(0)
    a = tf.Variable(rng.normal(size=(4, 2)).astype("float32"), name="lora_a")
    b = tf.Variable(tf.zeros((2, 3)), name="lora_b")
    x = tf.constant(rng.normal(size=(8, 4)).astype("float32"))
    optimizer = keras.optimizers.SGD(0.01)

    @gradtrace.explain()
    def train():
        for _ in range(4):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((tf.matmul(tf.matmul(x, a), b) - 1.0) ** 2)
            grads = tape.gradient(loss, [a, b])
            optimizer.apply_gradients(zip(grads, [a, b]))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train()
    assert not [w for w in caught if isinstance(w.message, gradtrace.GradientWarning)]


class Block(keras.layers.Layer):
    """A block class used twice: its `call` lines run for a used and an unused instance."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(units)

    def call(self, x):
        y = self.dense(x)
        return y


class DropsOneBranch(keras.Model):
    def __init__(self):
        super().__init__()
        self.first, self.second, self.head = Block(3), Block(3), Block(1)

    def call(self, x):
        kept = self.first(x)
        dropped = self.second(kept)  # <- dropped-result
        return self.head(kept)


def test_an_unused_block_of_a_shared_class_points_where_its_result_is_dropped():
    """The unused block's weights are read inside `Block.call`, a line the used blocks
    run too: the finding follows its values out to the line whose result nothing reads."""
    model = DropsOneBranch()
    x = tf.ones((2, 4))

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(x))
        return tape.gradient(loss, model.trainable_variables)

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("unused_variable", "dropped_result")
    assert finding.location.line == line_of("dropped-result")
    assert len(finding.variables) == 2 and all("block_1" in v for v in finding.variables)


def test_a_softmax_saturated_after_one_huge_step_is_named_as_the_stall():
    """Unscaled inputs and a summed loss: after the first step every probability is 0 or
    1 in float32, the gradients collapse and the loss stays bit-identical."""
    rng = np.random.default_rng(0)
    x = tf.constant(rng.integers(0, 256, size=(16, 300)).astype("float32"))
    y = tf.one_hot(rng.integers(0, 3, size=16), 3)
    w = tf.Variable(tf.zeros((300, 3)), name="W")
    optimizer = keras.optimizers.SGD(0.5)

    @gradtrace.explain()
    def train():
        for _ in range(3):
            with tf.GradientTape() as tape:
                p = tf.nn.softmax(tf.matmul(x, w))  # <- softmax
                loss = -tf.reduce_sum(y * tf.math.log(p + 1e-10))
            optimizer.apply_gradients([(tape.gradient(loss, w), w)])

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("zero_gradient", "saturated")
    assert finding.location.line == line_of("softmax")


def test_the_values_test_for_saturated_activations():
    from gradtrace.record.events import saturated

    assert saturated("Softmax", np.array([[0.0, 0.99999994, 0.0]], "float32"))
    assert not saturated("Softmax", np.array([[0.1, 0.8, 0.1]], "float32"))
    assert saturated("Tanh", np.array([-1.0, 1.0], "float32"))
    assert not saturated("Tanh", np.array([0.0], "float32"))


def test_a_variable_rebound_to_a_tensor_points_at_the_update():
    w = tf.Variable(0.0, name="w")
    x = tf.constant([1.0, 2.0])

    @gradtrace.explain()
    def train():
        nonlocal w
        for _ in range(2):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum((w * x - 1.0) ** 2)
            grad = tape.gradient(loss, w)
            if grad is None:
                return
            w = w - 0.1 * grad  # <- rebind

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("unwatched_tensor", "variable_rebound")
    assert finding.location.line == line_of("rebind")


def test_exp_overflow_in_a_custom_activation_under_fit_names_the_exp():
    """Traced by fit, there are no values: the exp the user wrote comes before the ops
    of Keras' own layers."""
    def activation(x):
        return tf.where(x > 0, x, tf.exp(x) - 1.0)  # <- exp

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(8),
                              keras.layers.Activation(activation), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).integers(0, 256, size=(32, 20)).astype("float32")

    @gradtrace.explain()
    def train():
        model.fit(x, x[:, :1], epochs=1, batch_size=16, verbose=0)

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("nonfinite_gradient", "exp_overflow")
    assert finding.location.line == line_of("exp")


def test_a_dead_relu_output_under_fit_points_at_that_layer():
    keras.utils.set_random_seed(0)
    x = np.linspace(-1, 1, 8).reshape(8, 1).astype("float32")

    @gradtrace.explain()
    def train():
        inputs = keras.Input((1,))
        out = keras.layers.Dense(1, activation="relu",  # <- dead-relu
                                 bias_initializer=keras.initializers.Constant(-10.0))(inputs)
        model = keras.Model(inputs, out)
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, 2 * x + 3, epochs=2, verbose=0)

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("zero_gradient", "dead_layer")
    assert finding.location.line == line_of("dead-relu")


def test_a_dead_relu_output_under_train_on_batch_points_at_that_layer():
    """A batch-by-batch loop is checked as fit is, after its first few steps."""
    keras.utils.set_random_seed(0)
    x = np.linspace(-1, 1, 8).reshape(8, 1).astype("float32")

    @gradtrace.explain()
    def train():
        inputs = keras.Input((1,))
        out = keras.layers.Dense(1, activation="relu",  # <- dead-relu-batches
                                 bias_initializer=keras.initializers.Constant(-10.0))(inputs)
        model = keras.Model(inputs, out)
        model.compile(optimizer="adam", loss="mse")
        for _ in range(5):
            model.train_on_batch(x, 2 * x + 3)

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("zero_gradient", "dead_layer")
    assert finding.location.line == line_of("dead-relu-batches")
    assert "train_on_batch() ran 3 steps" in finding.message


def test_a_batch_by_batch_loop_that_learns_is_not_reported():
    keras.utils.set_random_seed(0)
    x = np.linspace(-1, 1, 8).reshape(8, 1).astype("float32")

    @gradtrace.explain()
    def train():
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4, activation="relu"),
                                  keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        return [float(np.asarray(model.train_on_batch(x, 2 * x + 3)).ravel()[0])
                for _ in range(5)]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        losses = train()
    assert not [w for w in caught if isinstance(w.message, gradtrace.GradientWarning)]
    assert losses[-1] < losses[0]


def test_a_traced_step_whose_loss_turns_nan_later_names_the_log():
    """The loss a tf.function step returns is watched after the first steps: finite twice,
    then NaN once SGD pushed `w` below zero."""
    w = tf.Variable(1.0, name="w")
    optimizer = keras.optimizers.SGD(learning_rate=0.2)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = (2.0 * w
                    + tf.math.log(w))  # <- log-of-weight
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])
        return loss

    @gradtrace.explain()
    def train():
        return [float(step()) for _ in range(5)]

    finding = first_finding(train)
    assert finding.cause == "nonfinite_gradient"
    assert finding.location.line == line_of("log-of-weight")
    assert "finite for 2 calls and NaN or Inf from call 3" in finding.message
    assert finding.variables == ["w"]


def constant_branch_loss(y_true, y_pred):
    if True:  # a Python branch that leaves the prediction out
        return tf.exp(1.0) - tf.exp(0.5)  # <- constant-loss
    return tf.reduce_mean(tf.square(y_true - y_pred))


def test_a_loss_made_from_constants_alone_points_at_the_line_that_made_it():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    x, y = tf.ones((4, 2)), tf.zeros((4, 1))

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            loss = constant_branch_loss(y, model(x))
        return tape.gradient(loss, model.trainable_variables)

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("disconnected", "constant_target")
    assert finding.location.line == line_of("constant-loss")
    assert len(finding.variables) == 2


class ClipAbove(keras.layers.Layer):
    """Clipped to [5, 6]: for inputs below 5 the output is 5 and its gradient is zero."""

    def call(self, x):
        return tf.clip_by_value(x, 5.0, 6.0)


def test_fit_through_a_layer_whose_gradient_is_zero_points_at_that_layer():
    keras.utils.set_random_seed(0)
    x = np.linspace(-1, 1, 16).reshape(8, 2).astype("float32")

    @gradtrace.explain()
    def train():
        inputs = keras.Input((2,))
        out = ClipAbove()(keras.layers.Dense(1)(inputs))  # <- clipping-layer
        model = keras.Model(inputs, out)
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, x[:, :1] * 0.5, epochs=2, verbose=0)

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("zero_gradient", "zero_backward")
    assert finding.location.line == line_of("clipping-layer")


class Unfreeze(keras.callbacks.Callback):
    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 1:
            self.layer.trainable = True  # <- unfrozen-in-callback


def test_layers_unfrozen_while_fit_runs_point_at_the_unfreezing_line():
    keras.utils.set_random_seed(0)
    x = np.linspace(-1, 1, 16).reshape(8, 2).astype("float32")

    @gradtrace.explain()
    def train():
        front = keras.layers.Dense(3, name="front")
        model = keras.Sequential([keras.Input((2,)), front, keras.layers.Dense(1)])
        front.trainable = False
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, x[:, :1], epochs=3, verbose=0, callbacks=[Unfreeze(front)])

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("frozen_model", "unfrozen_during_fit")
    assert finding.location.line == line_of("unfrozen-in-callback")
    assert any("front" in name for name in finding.variables)


def test_a_raw_variable_that_only_decides_a_comparison_is_not_untracked():
    """An augmentation probability held as a plain tf.Variable: the loss depends on it
    only through `random < probability`, which has no gradient, tracked or not."""
    class Augment(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.probability = tf.Variable(0.5)
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            keep = tf.random.stateless_uniform(tf.shape(x), seed=(1, 2)) < self.probability
            return self.dense(tf.where(keep, x, 0.0))

    layer = Augment()
    x = tf.ones((4, 3))

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(x))
        return tape.gradient(loss, layer.dense.trainable_variables)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        step()
    assert not [w for w in caught if isinstance(w.message, gradtrace.GradientWarning)]


def test_a_loss_function_that_never_reads_its_prediction_is_shown_at_its_return():
    """`h, y_pred = model(x)` passes `y_pred` to a loss that returns a sum of `h` alone: the
    output layer's weights reach only that ignored parameter."""
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(2, name="hidden")(inputs)
    output = keras.layers.Dense(1, name="output")(hidden)
    both = keras.Model(inputs, [hidden, output])
    x = tf.ones((4, 3))

    def hidden_loss(y_pred, h):
        return tf.reduce_sum(h)  # <- ignores-y-pred

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            h, y_pred = both(x)
            loss = hidden_loss(y_pred, h)
        return tape.gradient(loss, both.trainable_variables)

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("unused_variable", "ignored_parameter")
    assert finding.location.line == line_of("ignores-y-pred")
    assert all("output" in name for name in finding.variables) and len(finding.variables) == 2


def test_layers_a_model_makes_and_never_calls_are_one_finding_at_its_call():
    class Forgetful(keras.Model):
        def __init__(self):
            super().__init__()
            self.first = keras.layers.Dense(4, name="first")
            self.blocks = [keras.layers.Dense(4, name=f"block_{i}") for i in range(2)]
            self.head = keras.layers.Dense(1, name="head")

        def call(self, x):  # <- forgetful-call
            return self.first(x)

    model = Forgetful()
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 3), "float32")

    @gradtrace.explain()
    def train():
        model.fit(x, np.ones((8, 4), "float32"), epochs=1, verbose=0)

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("unused_variable", "never_called")
    assert finding.location.line == line_of("forgetful-call")
    assert sorted(finding.variables) == ["block_0", "block_1", "head"]


def test_a_layer_used_by_another_method_is_not_reported_as_never_called():
    class WithInference(keras.Model):
        def __init__(self):
            super().__init__()
            self.body = keras.layers.Dense(2)
            self.sampler = keras.layers.Dense(2)

        def call(self, x):
            return self.body(x)

        def generate(self, x):
            return self.sampler(self.body(x))

    model = WithInference()
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 3), "float32")

    @gradtrace.explain()
    def train():
        model.fit(x, np.ones((8, 2), "float32"), epochs=1, verbose=0)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train()
    assert not [w for w in caught if isinstance(w.message, gradtrace.GradientWarning)]


def test_a_traced_step_that_never_moves_its_weights_points_at_the_clip():
    """Every error lies outside `clip_by_value`'s range, so every gradient is zero: told
    once the step has run without changing a weight."""
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="q")])
    optimizer = keras.optimizers.SGD(0.1)
    x, y = tf.ones((4, 2)), tf.fill((4, 1), 100.0)

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            error = tf.clip_by_value(y - model(x), -1.0, 1.0)  # <- clipped
            loss = tf.reduce_mean(tf.square(error))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    @gradtrace.explain()
    def loop():
        for _ in range(6):
            train_step()

    finding = first_finding(loop)
    assert (finding.cause, finding.variant) == ("zero_gradient", "clipped_everywhere")
    assert finding.location.line == line_of("clipped")


def test_the_log_probability_of_a_reparameterised_sample_cancels_the_mean():
    mean_net = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="mean")])
    log_std = tf.Variable(tf.zeros(2), name="log_std")
    x, reward = tf.ones((5, 3)), tf.linspace(-1.0, 1.0, 5)

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            mean = mean_net(x)
            action = mean + tf.exp(log_std) * tf.random.stateless_normal((5, 2), (1, 2))  # <- drawn
            log_prob = -0.5 * tf.square((action - mean) / tf.exp(log_std)) - log_std
            loss = -tf.reduce_mean(tf.reduce_sum(log_prob, -1) * reward)
        return tape.gradient(loss, mean_net.trainable_variables + [log_std])

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("zero_gradient", "cancelled_sample")
    assert finding.location.line == line_of("drawn")
    assert sorted(finding.variables) == sorted(v.path if hasattr(v, "path") else v.name
                                               for v in mean_net.trainable_variables) or \
        all("mean" in name for name in finding.variables)


def test_a_bias_that_reaches_the_loss_only_through_a_derivative_is_shown_at_its_layer():
    """A physics-informed loss made of `du/dx` alone: the output layer's bias drops out."""
    x = tf.linspace(0.0, 1.0, 6)[:, None]

    @gradtrace.explain()
    def step():
        hidden = keras.layers.Dense(4, activation="tanh")
        model = keras.Sequential([keras.Input((1,)), hidden, keras.layers.Dense(1, name="u")])  # <- output-layer
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                inner.watch(x)
                u = model(x)
            loss = tf.reduce_mean(tf.square(inner.gradient(u, x) - 1.0))
        return outer.gradient(loss, model.trainable_variables)

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("unused_variable", "derivative_only")
    assert finding.location.line == line_of("output-layer")
    assert len(finding.variables) == 1 and "u" in finding.variables[0] and "bias" in finding.variables[0]


def test_a_nan_behind_a_where_guard_names_the_sqrt_not_the_square_before_it():
    """`tf.where(d > 0, tf.sqrt(d), 0.0)` on a traced step: `** 2` (an exponent of 2) has
    a finite gradient everywhere, the sqrt at 0 does not, even in the branch not taken."""
    w = tf.Variable([[1.0], [1.0]], name="w")
    optimizer = keras.optimizers.SGD(0.1)
    anchor = tf.constant([[1.0, -1.0], [2.0, 0.5]])
    other = tf.constant([[1.0, -1.0], [0.0, 3.0]])  # a duplicate pair: distance 0

    @tf.function(jit_compile=True)  # (compiled, the branch not taken is differentiated too)
    def train_step():
        with tf.GradientTape() as tape:
            d = tf.reduce_sum((tf.matmul(anchor, w) - tf.matmul(other, w)) ** 2, axis=-1)
            loss = tf.reduce_mean(tf.where(d > 0, tf.sqrt(d), 0.0))  # <- guarded-sqrt
        grads = tape.gradient(loss, [w])
        optimizer.apply_gradients(zip(grads, [w]))
        return loss

    @gradtrace.explain()
    def loop():
        for _ in range(3):
            train_step()

    finding = first_finding(loop)
    assert finding.cause == "nonfinite_gradient"
    assert finding.location.line == line_of("guarded-sqrt")
    assert "tf.where" in finding.message


def test_a_model_run_inside_numpy_function_points_at_the_numpy_function_call():
    """The rollout calls the model inside tf.numpy_function's Python function: its
    `.numpy()` is a cut too, but the numpy_function is the one that must go."""
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="policy")])
    x = np.ones((4, 3), "float32")

    def rollout():
        return model(x).numpy()

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            logits = tf.numpy_function(rollout, [], tf.float32)  # <- numpy-function
            loss = tf.reduce_sum(logits)
        return tape.gradient(loss, model.trainable_variables)

    finding = first_finding(step)
    assert finding.cause == "numpy_function"
    assert finding.variant == "model_inside"
    assert finding.location.line == line_of("numpy-function")
    assert "policy/kernel" in " ".join(finding.variables)


def test_a_variable_read_in_a_dataset_map_is_outside_the_tape_at_the_map_line():
    weights = tf.Variable(tf.ones([8]), name="sample_weights")
    dense = keras.layers.Dense(1, name="dense")

    @gradtrace.explain()
    def train():  # (the recorder sees the map traced: the dataset is made under it)
        dataset = tf.data.Dataset.range(8).map(
            lambda i: (tf.ones([2]), tf.gather(weights, i))).batch(4)  # <- map-read
        for x, w in dataset:
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(w * dense(x)[:, 0])
            tape.gradient(loss, dense.trainable_variables + [weights])

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("outside_tape", "read_in_dataset")
    assert finding.location.line == line_of("map-read")
    assert finding.variables == ["sample_weights"]


def test_a_numpy_target_made_by_predict_points_at_the_predict_call():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    images = tf.ones((1, 3))

    import pytest

    # (Keras 3's tape: "has no attribute '_id'"; tf-keras' predict raises a LookupError)
    with pytest.raises((AttributeError, LookupError)) as raised:
        with gradtrace.explain():
            with tf.GradientTape() as tape:
                tape.watch(images)
                scores = model.predict(images, verbose=0)  # <- predict
                score = scores[:, 0]
            tape.gradient(score, images)
    notes = "\n".join(getattr(raised.value, "__notes__", []))
    assert "error[predict_in_tape]" in notes
    assert f"test_diagnosis_lines.py:{line_of('predict')}" in notes


def test_a_custom_gradient_reading_a_variable_without_a_variables_argument():
    import pytest

    scale = tf.Variable(2.0, name="scale")

    @tf.custom_gradient
    def scaled(x):
        def grad(dy):  # <- grad-def
            return dy * scale
        return x * scale, grad

    with pytest.raises(TypeError) as raised:
        with gradtrace.explain():
            with tf.GradientTape():
                scaled(tf.constant(1.0))
    notes = "\n".join(getattr(raised.value, "__notes__", []))
    assert "error[custom_gradient_none]" in notes
    assert f"test_diagnosis_lines.py:{line_of('grad-def')}" in notes
    assert "variables=None" in notes


def lambda_model(offset):
    x = keras.Input((1,))
    y = keras.layers.Lambda(lambda t: t + offset, name="add_offset")(  # <- lambda
        keras.layers.Dense(1, name="dense")(x))
    model = keras.Model(x, y)
    model.compile(keras.optimizers.SGD(0.1), loss="mse")
    return model


def test_a_variable_a_lambda_layer_uses_is_never_trained_by_fit():
    offset = tf.Variable(1.0, name="offset")
    x = np.linspace(0, 1, 32).reshape(-1, 1).astype("float32")

    @gradtrace.explain()
    def train():  # (made under the recorder, which sees where the Lambda is applied)
        lambda_model(offset).fit(x, 2 * x + 3, epochs=2, verbose=0)

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("untracked_variable", "variable_in_lambda")
    assert finding.location.line == line_of("lambda")
    assert finding.variables == ["offset"]
    assert float(offset.numpy()) == 1.0


def test_a_lambda_variable_that_a_callback_assigns_is_a_schedule_not_a_finding():
    beta = tf.Variable(0.0, name="kl_beta")
    model = lambda_model(beta)
    x = np.linspace(0, 1, 32).reshape(-1, 1).astype("float32")
    anneal = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: beta.assign(min(1.0, 0.5 * (epoch + 1))))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with gradtrace.explain():
            model.fit(x, 2 * x, epochs=2, verbose=0, callbacks=[anneal])
    found = [w.message for w in caught if isinstance(w.message, gradtrace.GradientWarning)]
    assert found == []
    assert float(beta.numpy()) == 1.0


def test_a_clip_that_clips_every_value_is_named_as_the_zero_gradient():
    """A "safe" sigmoid over logits that all lie beyond the clip range: every gradient
    is exactly zero, shown at the clip the user wrote, not at the loss."""
    x = tf.constant(np.full((8, 2), 50.0, "float32"))
    w = tf.Variable(tf.ones((2, 1)), name="W")

    def safe_sigmoid(logits):
        return tf.sigmoid(tf.clip_by_value(logits, -10.0, 10.0))  # <- clip

    @gradtrace.explain()
    def train():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((safe_sigmoid(tf.matmul(x, w)) - 0.5) ** 2)
        return tape.gradient(loss, [w])

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("zero_gradient", "clipped_everywhere")
    assert finding.location.line == line_of("clip")


def test_a_tensor_made_inside_the_tape_points_at_the_line_that_makes_it():
    x_np = np.ones((2, 2), "float32")

    @gradtrace.explain()
    def saliency():
        with tf.GradientTape() as tape:
            x = tf.constant(x_np)  # <- made-in-tape
            y = tf.reduce_sum(x * 3.0)
        return tape.gradient(y, x)

    finding = first_finding(saliency)
    assert finding.cause == "unwatched_tensor"
    assert finding.location.line == line_of("made-in-tape")
    assert "right after this line" in finding.message


def test_top_k_whose_values_are_left_unused_says_so():
    """Only top_k's indices reach the loss (a pooling without its gate): the variables
    scoring the rows get no gradient, and the fix is to use the values."""
    w = tf.Variable(tf.ones((3, 1)), name="score")
    x = tf.constant(np.arange(12, dtype="float32").reshape(4, 3))

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            values, idx = tf.math.top_k(tf.squeeze(x @ w, -1), k=2)  # <- top-k
            loss = tf.reduce_sum(tf.gather(x, idx))
        return tape.gradient(loss, [w])

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("nondifferentiable_op", "values_left_out")
    assert finding.location.line == line_of("top-k")


def test_an_encoder_state_not_given_to_the_decoder_points_at_the_decoder_call():
    encoder = keras.layers.LSTM(4, return_state=True, name="encoder")
    decoder = keras.layers.LSTM(4, return_sequences=True, name="decoder")
    head = keras.layers.Dense(1, name="head")
    x = tf.constant(np.ones((2, 3, 2), "float32"))
    y = tf.constant(np.ones((2, 3, 1), "float32"))

    def forward():
        _, state_h, state_c = encoder(x)
        states = [state_h, state_c]
        return head(decoder(y))  # <- decoder

    forward()

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(forward())
        variables = encoder.trainable_variables + decoder.trainable_variables
        return tape.gradient(loss, variables + head.trainable_variables)

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("unused_variable", "state_not_passed")
    assert finding.location.line == line_of("decoder")
    assert all("encoder" in name for name in finding.variables)
    assert "initial_state=states" in finding.message


def test_the_values_test_for_clips_and_relus_beyond_their_bound():
    from gradtrace.record.events import in_flat_region

    assert in_flat_region("Minimum", [np.array([11.0, 50.0]), np.array(10.0)])
    assert not in_flat_region("Minimum", [np.array([9.0, 50.0]), np.array(10.0)])
    assert in_flat_region("Maximum", [np.array(-10.0), np.array([-11.0, -50.0])])
    assert not in_flat_region("Maximum", [np.array([1.0, 2.0]), np.array([0.0, 3.0])])
    assert in_flat_region("ClipByValue", [np.array([-5.0, 5.0]), np.array(-1.0), np.array(1.0)])
    assert in_flat_region("Relu", [np.array([-1.0, -0.5])])
    assert not in_flat_region("Relu", [np.array([-1.0, 0.5])])


def test_a_term_added_to_the_loss_after_its_gradient_is_named():
    """RL Coach's L2 regularization: computed from the weights and added to the loss
    after `tape.gradient`, so it is in the reported loss and not in the gradient."""
    w = tf.Variable(tf.ones((3, 1)), name="kernel")
    x = tf.constant(np.ones((4, 3), "float32"))
    optimizer = keras.optimizers.SGD(0.1)

    @gradtrace.explain()
    def train():
        for _ in range(4):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((x @ w - 1.0) ** 2)
            grads = tape.gradient(loss, [w])
            loss += 0.5 * tf.nn.l2_loss(w)  # <- late-term
            optimizer.apply_gradients(zip(grads, [w]))

    finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("outside_tape", "added_after_gradient")
    assert finding.location.line == line_of("late-term")
    assert finding.variables == ["kernel"]


def test_a_nan_that_a_numpy_input_brings_in_at_a_later_step_is_traced_to_its_line():
    """REINFORCE's reward normalisation: an episode without reward has std 0, the
    returns are 0/0, long after the step stopped being recorded."""
    w = tf.Variable(tf.ones((2, 1)), name="policy")
    x = tf.constant(np.ones((4, 2), "float32"))
    optimizer = keras.optimizers.SGD(0.01)

    @gradtrace.explain()
    def train():
        for episode in range(8):
            rewards = np.ones(4) if episode < 6 else np.zeros(4)
            returns = rewards - rewards.mean()
            returns = returns / rewards.std() if episode >= 6 else returns + 1.0  # <- nan-made
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((x @ w)[:, 0] * tf.constant(returns, tf.float32))
            optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))

    with np.errstate(invalid="ignore"):
        finding = first_finding(train)
    assert (finding.cause, finding.variant) == ("nonfinite_gradient", "nonfinite_input")
    assert finding.location.line == line_of("nan-made")
    assert "`returns`" in finding.message and finding.variables == ["policy"]


class _HandListedActor(keras.Model):
    def __init__(self):
        super().__init__()
        self.first = keras.layers.Dense(4, name="first")
        self.second = keras.layers.Dense(4, name="second")

    def call(self, x):
        return self.second(self.first(x))

    @property
    def trainable_variables(self):
        return self.first.trainable_variables + \
            self.first.trainable_variables  # <- listed-twice


def _explained_step(actor):
    x = tf.ones((2, 3))
    actor(x)

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(actor(x))
        return tape.gradient(loss, actor.trainable_variables)
    return step


def test_a_hand_listed_trainable_variables_that_forgets_a_layer_points_at_the_repeat():
    finding = first_finding(_explained_step(_HandListedActor()))
    assert (finding.cause, finding.variant) == ("untracked_variable", "hand_listed")
    assert finding.location.line == line_of("listed-twice")
    assert sorted(v.rsplit("/", 1)[-1] for v in finding.variables) == ["bias", "kernel"]
    assert all("second" in v for v in finding.variables)


class _HandListedComplete(_HandListedActor):
    @property
    def trainable_variables(self):
        return self.first.trainable_variables + self.second.trainable_variables


def test_a_hand_listed_trainable_variables_that_names_every_layer_is_fine():
    step = _explained_step(_HandListedComplete())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        step()
    assert not [w for w in caught if isinstance(w.message, gradtrace.GradientWarning)]


def test_the_loss_and_the_variables_swapped_are_wrong_sources_at_the_call():
    w = tf.Variable([[1.0], [2.0]], name="swapped_w")
    x = tf.constant([[1.0, 1.0]])

    @gradtrace.explain()
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.matmul(x, w))
        return tape.gradient([w], loss)  # <- swapped

    finding = first_finding(step)
    assert (finding.cause, finding.variant) == ("wrong_sources", "swapped_arguments")
    assert finding.location.line == line_of("swapped")
    assert finding.variables == ["swapped_w"]
