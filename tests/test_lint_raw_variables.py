"""`gradtrace lint` on models made of a module's raw tf.Variables: read while a tape
records, they are connected like a Keras model's output, through functions too."""
import textwrap

from gradtrace.lint.checker import lint_source


def lint(code: str) -> list[tuple[str, int]]:
    return [(d.rule, d.line) for d in lint_source(textwrap.dedent(code))]


def test_a_cut_of_a_function_over_a_dict_of_variables_is_reported_at_the_cut():
    assert lint("""
    import tensorflow as tf
    weights = {'w0': tf.Variable(tf.random.normal([3, 1]))}
    def model(x):
        return tf.matmul(x, weights['w0'])
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.round(model(x)) - y)
    grads = tape.gradient(loss, list(weights.values()))
    """) == [("GT103", 7)]


def test_a_cut_beside_another_path_from_the_same_variables_is_not_reported():
    assert lint("""
    import tensorflow as tf
    w = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        loss = w * x + tf.round(w)
    grads = tape.gradient(loss, [w])
    """) == []


def test_a_models_output_assigned_into_a_variable_is_a_cut_despite_other_variables():
    assert lint("""
    import tensorflow as tf
    F = tf.Variable(tf.zeros((4, 8)))
    scale = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        out = cnn(images, training=True)
        F.assign(out)
        loss = tf.reduce_mean(F) * scale
    grads = tape.gradient(loss, cnn.trainable_variables + [F, scale])
    """) == [("GT112", 7)]


def test_variables_read_before_the_tape_are_not_reported_as_outside_it():
    # a raw variable read outside any tape is a plain value, as before: only a model's
    # forward pass there is reported
    assert lint("""
    import tensorflow as tf
    w = tf.Variable(2.0)
    scale = w * 3.0
    with tf.GradientTape() as tape:
        loss = w * x * scale
    grads = tape.gradient(loss, [w])
    """) == []


def test_a_loss_computed_from_variables_before_the_tape_is_reported_where_it_is_computed():
    assert lint("""
    import tensorflow as tf
    w = tf.Variable(2.0)
    pred = w * x
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((pred - y) ** 2)
    grads = tape.gradient(loss, [w])
    """) == [("GT107", 4)]


def test_a_variable_passed_to_a_function_that_reads_it_in_a_tape_is_not_outside_it():
    assert lint("""
    import tensorflow as tf
    def train_step(w, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(w * x - y))
        return tape.gradient(loss, [w])
    w = tf.Variable(2.)
    x = tf.constant([-1.])
    train_step(w, x, 2.0)
    """) == []


def test_a_name_rebound_from_a_variable_to_a_tensor_is_no_longer_the_variable():
    assert lint("""
    import tensorflow as tf
    x = tf.Variable(1.0)
    x = tf.linspace(-2, 2, 201)
    x = tf.cast(x, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x ** 2
    dy = tape.gradient(y, x)
    """) == []


def test_minimize_of_a_lambda_returning_a_precomputed_loss_is_reported_at_the_loss():
    found = lint_source(textwrap.dedent("""
    import tensorflow as tf
    v = tf.Variable([1., 2.])
    cost = -tf.reduce_mean(tf.math.log(v))
    loss = lambda: cost
    tf.keras.optimizers.Adam(0.5).minimize(loss, var_list=[v])
    """))
    assert [(d.rule, d.line, d.variant) for d in found] == [("GT107", 4, "loss_callable")]


def test_minimize_of_a_function_reading_a_module_instances_output_is_reported_at_the_call():
    assert lint("""
    import tensorflow as tf
    class Dense(tf.Module):
        def __init__(self):
            self.w = tf.Variable(tf.ones([2, 4]))
        def __call__(self, x):
            return tf.matmul(x, self.w)
    layer = Dense()
    output = layer([[7.0, 3.0]])
    def loss_fn():
        return tf.reduce_mean(tf.square(1.0 - output))
    tf.keras.optimizers.SGD(0.1).minimize(loss_fn, var_list=layer.trainable_variables)
    """) == [("GT107", 9)]


def test_minimize_given_a_loss_tensor_is_reported_in_eager_code_only():
    eager = """
    import tensorflow as tf
    W = tf.Variable(1.0)
    @tf.function
    def cost():
        return tf.reduce_mean(tf.square(W * x - y))
    cost_value = cost()
    tf.keras.optimizers.Adam().minimize(cost_value, var_list=[W])
    """
    assert lint(eager) == [("GT107", 8)]
    graph = eager.replace("cost_value = cost()",
                          "cost_value = cost()\n    sess = tf.compat.v1.Session()")
    assert lint(graph) == []
    with_tape = eager.replace("var_list=[W])", "var_list=[W], tape=tape)")
    assert lint(with_tape) == []


def test_minimize_of_a_function_that_computes_the_loss_is_not_reported():
    assert lint("""
    import tensorflow as tf
    W = tf.Variable(1.0)
    def loss():
        return tf.reduce_mean(tf.square(W * x - y))
    opt = tf.keras.optimizers.SGD(0.1)
    for _ in range(3):
        opt.minimize(loss, var_list=[W])
    """) == []


def test_scipy_minimize_is_not_an_optimizer():
    assert lint("""
    import tensorflow as tf
    from scipy import optimize
    W = tf.Variable(1.0)
    value = W * 2.0
    optimize.minimize(value, x0)
    """) == []


def test_a_target_computed_in_the_gradient_call_after_the_tape_closed_is_reported():
    code = """
    import tensorflow as tf
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x))
        grads = tape.gradient(-loss, model.trainable_variables)
    """
    assert lint(code) == []  # inside the block it is recorded
    closed = code.replace("        grads = tape", "    grads = tape")
    assert lint(closed) == [("GT107", 6)]


def test_compat_v1_scatter_update_of_the_variables_into_another_is_an_assignment():
    assert lint("""
    import tensorflow as tf
    v = tf.Variable(13.0)
    alpha = tf.Variable([1., 2., 3.])
    with tf.GradientTape() as tape:
        updated = tf.compat.v1.scatter_update(alpha, [1], [v])
        loss = tf.reduce_sum(updated * updated)
    grad_v = tape.gradient(loss, v)
    """) == [("GT112", 6)]


def test_a_layer_whose_weights_reach_its_output_only_through_an_assigned_buffer():
    code = """
    import tensorflow as tf
    class Memory(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.controller = tf.keras.layers.Dense(4)
        def build(self, input_shape):
            self.memory = self.add_weight(name="m", shape=(4, 4), trainable=False)
        def call(self, inputs):
            w = tf.reduce_mean(self.controller(inputs), axis=0)
            self.memory.assign(self.memory * w)
            return tf.concat([inputs, tf.matmul(inputs, self.memory)], axis=-1)
    """
    assert lint(code) == [("GT112", 11)]
    # a buffer of the inputs' statistics (a moving mean) trains nothing: no finding
    statistics = code.replace("self.memory.assign(self.memory * w)",
                              "self.memory.assign(self.memory * tf.reduce_mean(inputs))")
    assert lint(statistics) == []
