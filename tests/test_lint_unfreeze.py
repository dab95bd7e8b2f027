"""`gradtrace lint` on unfreezing a model that has already trained: without a new
`compile()`, `fit()` reuses the train step it built with the layers frozen (GT113)."""
import textwrap

from gradtrace.lint.checker import lint_source


def lint(code: str) -> list[tuple[str, int, str]]:
    return [(d.rule, d.line, d.variant) for d in lint_source(textwrap.dedent(code))]


HEAD = """
    from tensorflow import keras
    base = keras.Sequential([keras.layers.Dense(8)])
    base.trainable = False
    model = keras.Sequential([base, keras.layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(x, y, epochs=1)
"""


def test_unfreezing_after_fit_without_compiling_again_is_reported_at_the_unfreezing():
    assert lint(HEAD + """
    for layer in base.layers:
        layer.trainable = True
    model.fit(x, y, epochs=1)
    """) == [("GT113", 10, "unfrozen_after_compile")]


def test_unfreezing_then_compiling_again_is_not_reported():
    assert lint(HEAD + """
    base.trainable = True
    model.compile(keras.optimizers.Adam(1e-5), "mse")
    model.fit(x, y, epochs=1)
    """) == []


def test_unfreezing_before_the_first_training_is_not_reported():
    assert lint("""
    from tensorflow import keras
    base = keras.Sequential([keras.layers.Dense(8)])
    base.trainable = False
    model = keras.Sequential([base, keras.layers.Dense(1)])
    model.compile("adam", "mse")
    base.trainable = True
    model.fit(x, y, epochs=1)
    """) == []


def test_a_gan_loop_that_unfreezes_the_discriminator_to_train_it_is_not_reported():
    assert lint("""
    from tensorflow import keras
    d.compile("adam", "binary_crossentropy")
    d.trainable = False
    gan = keras.Sequential([g, d])
    gan.compile("adam", "binary_crossentropy")
    gan.fit(z, ones, epochs=1)
    for step in range(10):
        d.trainable = True
        d.train_on_batch(images, labels)
        d.trainable = False
        gan.train_on_batch(z, ones)
    """) == []


def test_a_callback_that_unfreezes_layers_during_fit_is_reported():
    assert lint("""
    from tensorflow import keras
    class Unfreeze(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                self.model.get_layer("conv").trainable = True
    model.get_layer("conv").trainable = False
    model.compile("adam", "mse")
    model.fit(x, y, epochs=4, callbacks=[Unfreeze()])
    """) == [("GT113", 6, "unfrozen_during_fit")]


def test_layers_unfrozen_inside_a_frozen_model_are_reported_at_the_models_freeze():
    assert lint("""
    model = load_model("pretrained.h5")
    model.trainable = False
    for layer in model.layers[-3:]:
        layer.trainable = True
    model.compile("sgd", "categorical_crossentropy")
    model.fit(x, y)
    """) == [("GT113", 3, "held_by_container")]


def test_the_fine_tuning_recipe_that_unfreezes_the_model_first_is_not_reported():
    assert lint("""
    base.trainable = False
    model.compile("adam", "mse")
    base.trainable = True
    for layer in base.layers[:100]:
        layer.trainable = False
    model.compile(keras.optimizers.Adam(1e-5), "mse")
    model.fit(x, y)
    """) == []
