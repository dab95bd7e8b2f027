"""`gradtrace lint`'s rules on where a layer makes its weights and what it computes from
them: values computed once in `build()`, layers and variables made inside `call()` or a
`Lambda` function, variables and models a `Lambda` function only captures."""
import textwrap

from gradtrace.lint.checker import lint_source


def lint(code: str) -> list[tuple[str, int]]:
    return [(d.rule, d.line) for d in lint_source(textwrap.dedent(code))]


LAYER_HEADER = """
    import tensorflow as tf
    from tensorflow import keras
"""


def test_a_kernel_masked_in_build_and_read_in_call_is_computed_once():
    assert lint(LAYER_HEADER + """
    class MaskedDense(keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], 4))
            self.kernel = self.kernel * self.mask
        def call(self, x):
            return tf.matmul(x, self.kernel)
    """) == [("GT107", 8)]


def test_a_value_derived_from_weights_through_locals_and_lists_is_followed():
    """nested LSTM: `kernel = K.concatenate([a, b])` on one branch, appended to a list."""
    assert lint(LAYER_HEADER + """
    class Cell(keras.layers.Layer):
        def build(self, input_shape):
            self.kernels = []
            for i in range(2):
                if i == 0:
                    a = self.add_weight(shape=(4, 4))
                    b = self.add_weight(shape=(4, 4))
                    kernel = tf.concat([a, b], axis=0)
                else:
                    kernel = self.add_weight(shape=(8, 4))
                self.kernels.append(kernel)
        def call(self, x):
            return tf.matmul(x, self.kernels[0])
    """) == [("GT107", 12)]


def test_a_subclass_of_a_built_in_layer_that_rescales_its_kernel_in_build():
    """weight normalisation: the parent's call() reads the rescaled kernel."""
    assert lint(LAYER_HEADER + """
    class WeightNormConv(tf.keras.layers.Conv2D):
        def build(self, input_shape):
            super().build(input_shape)
            self.kernel = self.kernel * tf.math.rsqrt(tf.reduce_sum(tf.square(self.kernel)))
    """) == [("GT107", 8)]


def test_what_build_reads_of_a_weight_and_non_trainable_state_are_not_computations():
    assert lint(LAYER_HEADER + """
    class Scaled(keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], 4))
            self.units = self.kernel.shape[-1] * 2
            self.table = tf.Variable(tf.ones((4,)), trainable=False)
            self.table_value = self.table * 2.0
        def call(self, x):
            return tf.matmul(x, self.kernel) * self.units + self.table_value
    """) == []


def test_a_weight_computed_in_build_but_only_read_there_is_not_reported():
    assert lint(LAYER_HEADER + """
    class Logged(keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], 4))
            self.initial_norm = tf.norm(self.kernel)
        def call(self, x):
            return tf.matmul(x, self.kernel)
        def get_config(self):
            return {"norm": float(self.initial_norm)}
    """) == []


def test_a_layer_created_inside_call_or_a_method_call_runs_is_made_anew_each_call():
    assert lint(LAYER_HEADER + """
    from tensorflow.keras.layers import Dense

    class Block(keras.layers.Layer):
        def call(self, x):
            x = Dense(4)(x)
            return self.project(x)
        def project(self, x):
            return keras.layers.Conv1D(4, 3)(x)
    """) == [("GT109", 9), ("GT109", 12)]


def test_lazily_created_layers_and_weightless_layers_inside_call_are_not_reported():
    assert lint(LAYER_HEADER + """
    class Lazy(keras.layers.Layer):
        def call(self, x):
            if self.dense is None:
                self.dense = keras.layers.Dense(4)
            if not hasattr(self, "kernel"):
                self.kernel = self.add_weight(shape=(4, 4))
            x = keras.layers.Dropout(0.1)(x)
            x = keras.layers.Resizing(8, 8)(x)
            return self.dense(x)
    """) == []


def test_a_module_layer_class_without_weights_may_be_created_inside_call():
    assert lint(LAYER_HEADER + """
    class ApplyRoPE(keras.layers.Layer):
        def call(self, q):
            return q * 2.0

    class Attention(keras.layers.Layer):
        def call(self, q):
            return ApplyRoPE()(q)
    """) == []


def test_a_variable_created_inside_a_lambda_function_never_trains():
    assert lint(LAYER_HEADER + """
    def scale(x):
        w = keras.backend.variable(1.0)
        return x * w

    inputs = keras.Input((4,))
    out = keras.layers.Lambda(scale)(inputs)
    """) == [("GT109", 6)]


def test_a_variable_or_a_model_a_lambda_only_captures_is_not_tracked():
    assert lint(LAYER_HEADER + """
    inputs = keras.Input((4,))
    d = keras.layers.Dense(1)(inputs)
    y = tf.Variable(1.0, name="scale")
    out = keras.layers.Lambda(lambda t: t * y)(d)

    encoder = keras.Sequential([keras.layers.Dense(4)])
    def apply_n_times(model, n):
        def apply(x):
            for _ in range(n):
                x = model(x)
            return x
        return apply
    twice = keras.layers.Lambda(apply_n_times(encoder, 2))(inputs)
    """) == [("GT109", 8), ("GT109", 17)]


def test_a_lambda_that_captures_a_frozen_model_or_a_constant_is_fine():
    assert lint(LAYER_HEADER + """
    vgg = keras.applications.VGG16(include_top=False)
    vgg.trainable = False
    scale = tf.Variable(2.0, trainable=False)
    inputs = keras.Input((32, 32, 3))
    features = keras.layers.Lambda(lambda t: vgg(t) * scale)(inputs)
    """) == []


def test_an_integer_weight_left_trainable_is_reported_and_integer_state_is_not():
    found = [(d.rule, d.line, d.variant) for d in lint_source(textwrap.dedent("""
    import keras
    class Counter(keras.layers.Layer):
        def build(self, shape):
            self.scale = self.add_weight(shape=(1,), dtype="int32")
            self.steps = self.add_weight(shape=(), dtype="int64", trainable=False)
            self.w = self.add_weight(shape=(1,), dtype="float32")
    """))]
    assert found == [("GT114", 5, "integer_weight")]


def test_integer_variables_given_to_minimize_are_one_finding_naming_each():
    found = lint_source(textwrap.dedent("""
    import tensorflow as tf
    W = tf.Variable(1, name="weight")
    b = tf.Variable(0, name="bias")
    def loss():
        return tf.reduce_mean(tf.square(W * x + b - y))
    tf.compat.v1.train.GradientDescentOptimizer(0.01).minimize(loss, var_list=[W, b])
    """))
    assert [(d.rule, d.line, d.names) for d in found] == [("GT114", 3, ["W", "b"])]


def test_a_list_of_integer_variables_given_as_sources_is_reported_at_the_list():
    found = lint_source(textwrap.dedent("""
    import tensorflow as tf
    params = [tf.Variable(1, name="a"), tf.Variable(2, name="b")]
    with tf.GradientTape() as tape:
        result = params[0] * params[1]
    grads = tape.gradient(result, params)
    """))
    assert [(d.rule, d.line) for d in found] == [("GT114", 3)]
    assert "holds integer variables" in found[0].message


def test_an_integer_dtype_given_through_a_module_level_name_is_followed():
    found = lint_source(textwrap.dedent("""
    import keras
    import tensorflow as tf
    variable_dtype = tf.int32
    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.var = self.add_variable((1,), initializer="zeros", dtype=variable_dtype)
        def call(self, x):
            return x * self.var
    """))
    assert [(d.rule, d.line) for d in found] == [("GT114", 7)]
