"""`gradtrace lint`'s rule on what `tape.gradient` is asked for: `model.variables` and
`model.weights` hold non-trainable statistics whose gradients are always None (GT116)."""
import textwrap

from gradtrace.lint.checker import lint_source


def lint(code: str) -> list[tuple[str, int, str]]:
    return [(d.rule, d.line, d.variant) for d in lint_source(textwrap.dedent(code))
            if d.rule == "GT116"]


BN_MODEL = """
    import tensorflow as tf
    model = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.BatchNormalization(),
                                 tf.keras.layers.Dense(1)])
    opt = tf.keras.optimizers.Adam()
"""


def test_model_variables_with_batch_normalization_is_reported_at_the_gradient_call():
    assert lint(BN_MODEL + """
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((model(x, training=True) - y) ** 2)
        grads = tape.gradient(loss, model.variables)
        opt.apply_gradients(zip(grads, model.variables))
    """) == [("GT116", 10, "non_trainable")]


def test_a_name_bound_to_model_weights_is_followed_and_reported_once():
    assert lint(BN_MODEL + """
    params = model.weights
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((model(x, training=True) - y) ** 2)
        opt.apply_gradients(zip(tape.gradient(loss, params), params))
        return tape.gradient(loss, sources=params)
    """) == [("GT116", 11, "non_trainable")]


def test_frozen_state_made_with_add_weight_counts_as_non_trainable():
    assert lint("""
    import tensorflow as tf
    class Scaled(tf.keras.layers.Layer):
        def build(self, shape):
            self.count = self.add_weight(name='count', shape=(), trainable=False)
    layer = Scaled()
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(tf.ones((2, 2))))
    grads = tape.gradient(loss, layer.variables)
    """) == [("GT116", 9, "non_trainable")]


def test_model_variables_of_dense_layers_alone_is_not_reported():
    assert lint("""
    import tensorflow as tf
    model = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)])
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(tf.ones((2, 3))))
    grads = tape.gradient(loss, model.variables)
    """) == []


def test_trainable_variables_with_batch_normalization_is_not_reported():
    assert lint(BN_MODEL + """
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(tf.ones((2, 3)), training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
    """) == []


def lint_all(code: str) -> list[tuple[str, int, str]]:
    return [(d.rule, d.line, d.variant) for d in lint_source(textwrap.dedent(code))]


MODULE = """
    class Net(tf.Module):
        def __init__(self):
            super().__init__()
            self.hidden = tf.keras.layers.Dense(8)
            self.scale = tf.Variable(1.0)
        def __call__(self, x):
            return self.hidden(x) * self.scale
    net = Net()
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(net(x))
    grads = tape.gradient(loss, net.trainable_variables)
"""


def test_a_tf_module_holding_keras_layers_is_reported_at_its_class_under_keras_3():
    assert lint_all("\n    import tensorflow as tf" + MODULE) == [("GT109", 3, "keras_in_module")]


def test_a_tf_module_holding_keras_layers_is_left_alone_under_tf_keras():
    assert lint_all("\n    import tensorflow as tf\n    import tf_keras" + MODULE) == []


def test_a_tf_module_holding_only_tf_variables_is_not_reported():
    assert lint_all("""
    import tensorflow as tf
    class Net(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(tf.ones((3, 1)))
    net = Net()
    grads = tape.gradient(loss, net.trainable_variables)
    """) == []


def test_variables_taken_from_an_unbuilt_sequential_are_reported_where_taken():
    assert lint_all("""
    import tensorflow as tf
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    params = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x))
    grads = tape.gradient(loss, params)
    """) == [("GT117", 4, "collected_before_build")]


def test_variables_taken_after_the_first_call_or_with_an_input_shape_are_not_reported():
    assert lint_all("""
    import tensorflow as tf
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model(x)
    params = model.trainable_variables
    other = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    other_params = other.trainable_variables
    grads = tape.gradient(loss, params)
    optimizer.apply_gradients(zip(grads, other_params))
    """) == []
