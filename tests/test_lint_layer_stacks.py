"""`gradtrace lint`'s rules on layer stacks whose configuration alone makes every gradient
zero: a softmax over one unit, and two layers in a row that start from zero kernels."""
import textwrap

from gradtrace.lint.checker import lint_source


def lint(code: str) -> list[tuple[str, int, str]]:
    return [(d.rule, d.line, d.variant) for d in lint_source(textwrap.dedent(code))]


HEADER = """
    from tensorflow import keras
    from keras.layers import Dense, Activation
"""


def test_a_one_unit_dense_with_a_softmax_activation_is_constant():
    assert lint(HEADER + """
    x = keras.Input((4,))
    value = Dense(1, activation='softmax', name='critic')(x)
    """) == [("GT115", 6, "single_unit_softmax")]


def test_a_one_unit_dense_followed_by_a_softmax_layer_is_reported_at_the_dense():
    assert lint(HEADER + """
    model = keras.Sequential()
    model.add(keras.layers.LSTM(8))
    model.add(Dense(1))
    model.add(Activation('softmax'))
    """) == [("GT115", 7, "single_unit_softmax")]


def test_a_softmax_over_several_units_or_a_one_unit_sigmoid_is_not_reported():
    assert lint(HEADER + """
    x = keras.Input((4,))
    y = Dense(1)(x)
    p = Activation('sigmoid')(y)
    q = Dense(3, activation='softmax')(x)
    model = keras.Sequential([Dense(1), Activation('relu'), Dense(2), Activation('softmax')])
    """) == []


def test_two_stacked_zero_kernels_are_one_finding_at_the_first_layer():
    assert lint(HEADER + """
    zero_init = keras.initializers.Zeros()
    model = keras.Sequential([
        Dense(50, activation='relu', kernel_initializer=zero_init),
        keras.layers.Dropout(0.2),
        Dense(50, activation='relu', kernel_initializer=zero_init),
        Dense(10, activation='softmax', kernel_initializer=zero_init),
    ])
    """) == [("GT115", 7, "symmetric_start")]


def test_zero_kernels_in_a_functional_chain_are_followed_through_names():
    assert lint(HEADER + """
    x = keras.Input((4,))
    h = Dense(8, kernel_initializer='zeros')(x)
    y = Dense(1, kernel_initializer='zeros')(h)
    """) == [("GT115", 6, "symmetric_start")]


def test_one_zero_layer_or_a_first_layer_that_does_not_put_out_zero_is_healthy():
    """A zero-initialised last layer is a common, healthy choice (residual branches, flows);
    a sigmoid maps 0 to 0.5 and a non-zero bias moves the output off 0: the next layer's
    kernel then gets a gradient."""
    assert lint(HEADER + """
    a = keras.Sequential([Dense(8, activation='relu'), Dense(1, kernel_initializer='zeros')])
    b = keras.Sequential([Dense(8, activation='sigmoid', kernel_initializer='zeros'),
                          Dense(1, kernel_initializer='zeros')])
    c = keras.Sequential([Dense(8, kernel_initializer='zeros', bias_initializer='ones'),
                          Dense(1, kernel_initializer='zeros')])
    """) == []


def test_a_one_unit_softmax_under_binary_crossentropy_is_not_reported():
    # Keras's binary cross-entropy uses the logits the softmax caches: the layer trains
    assert lint(HEADER + """
    model = keras.Sequential([keras.Input((4,)), Dense(8), Dense(1), Activation('softmax')])
    model.compile(optimizer='adam', loss='binary_crossentropy')
    """) == []
