"""`gradtrace lint` on a layer of a stack whose function cuts its input off: every
weighted layer below it gets no gradient (reported at the cut's own line)."""
import textwrap

from gradtrace.lint.checker import lint_source


def lint(code: str) -> list[tuple[str, int]]:
    return [(d.rule, d.line) for d in lint_source(textwrap.dedent(code))]


def test_a_rounding_layer_class_at_the_top_of_a_sequential_is_reported_in_its_call():
    assert lint("""
    import keras
    from keras import ops
    class Round(keras.layers.Layer):
        def call(self, x):
            return ops.round(x)
    model = keras.Sequential()
    model.add(keras.layers.Dense(3))
    model.add(Round())
    model.compile(loss="mae", optimizer="adam")
    """) == [("GT103", 6)]


def test_a_lambda_made_by_a_factory_in_a_functional_chain_is_reported():
    assert lint("""
    import tensorflow as tf
    from tensorflow.keras.layers import Input, Dense, Lambda
    def ArgMax():
        return Lambda(lambda q: tf.math.argmax(q, 2))
    x = Input((1, 1))
    d = Dense(3)(x)
    out = ArgMax()(d)
    model = tf.keras.Model(x, out)
    model.compile("sgd", "mae")
    """) == [("GT103", 5)]


def test_a_cast_of_the_raw_input_before_any_weighted_layer_is_not_reported():
    assert lint("""
    import tensorflow as tf
    model = tf.keras.Sequential([
        tf.keras.layers.Lambda(lambda t: tf.cast(tf.round(t), "int32")),
        tf.keras.layers.Embedding(10, 4),
        tf.keras.layers.Dense(1)])
    model.compile("adam", "mse")
    """) == []


def test_a_straight_through_rounding_layer_is_not_reported():
    assert lint("""
    import tensorflow as tf
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(4),
        tf.keras.layers.Lambda(lambda t: t + tf.stop_gradient(tf.round(t) - t)),
        tf.keras.layers.Dense(1)])
    model.compile("adam", "mse")
    """) == []
