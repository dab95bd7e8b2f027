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
