"""`gradtrace lint` follows values into the code the module defines: functions and methods
called with a model's values, the function of a `Lambda` layer and a layer's `call()`
applied in a functional model; branches merge, so a cut counts only on every path."""
import textwrap

from gradtrace.lint.checker import lint_source


def lint(code: str) -> list[tuple[str, int]]:
    return [(d.rule, d.line) for d in lint_source(textwrap.dedent(code))]


def test_an_argmax_lambda_between_two_parts_of_a_functional_model_is_the_cut():
    assert lint("""
        import tensorflow as tf
        from tensorflow.keras import layers
        inputs = layers.Input((8,))
        scores = layers.Dense(4)(inputs)
        labels = layers.Lambda(lambda t: tf.cast(tf.argmax(t, -1), "float32"))(scores)
        outputs = layers.Dense(1)(labels[:, None])
    """) == [("GT103", 6)]


def test_a_lambda_computing_a_mask_from_the_model_inputs_is_not_a_cut():
    assert lint("""
        import tensorflow as tf
        from tensorflow.keras import layers
        tokens = layers.Input((8,))
        mask = layers.Lambda(lambda t: tf.cast(tf.not_equal(t, 0), "float32"))(tokens)
        hidden = layers.Dense(4)(tokens)
        outputs = layers.Dense(1)(hidden * mask[:, :1])
    """) == []


def test_a_layer_whose_call_rounds_its_input_is_a_cut_when_applied_after_weights():
    assert lint("""
        import tensorflow as tf
        from tensorflow import keras

        class Round(keras.layers.Layer):
            def call(self, x):
                return tf.round(x)

        inputs = keras.Input((8,))
        outputs = Round()(keras.layers.Dense(1)(inputs))
        head = keras.layers.Dense(1)(outputs)
    """) == [("GT103", 7)]


def test_numpy_inside_a_helper_called_in_the_tape_is_reported_in_the_helper():
    assert lint("""
        import numpy as np
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])

        def error(pred, y):
            return np.mean((np.asarray(pred) - y) ** 2)

        with tf.GradientTape() as tape:
            loss = error(model(x), y)
        grads = tape.gradient(loss, model.trainable_variables)
    """) == [("GT101", 7)]


def test_a_helper_given_the_model_runs_its_forward_pass_where_it_is_called():
    """The parameter holds the caller's model: calling it inside the helper, itself
    called inside the tape, is recorded."""
    assert lint("""
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])

        def predict_mean(net, x):
            return tf.reduce_mean(net(x))

        with tf.GradientTape() as tape:
            loss = predict_mean(model, x)
        grads = tape.gradient(loss, model.trainable_variables)
    """) == []


def test_a_stop_gradient_on_one_branch_only_leaves_the_value_connected():
    """capsule routing: the inner iterations use the stopped value, the last one the
    value itself."""
    assert lint("""
        import tensorflow as tf
        from tensorflow import keras

        def routing(u_hat, n):
            stopped = tf.stop_gradient(u_hat)
            for i in range(n):
                if i == n - 1:
                    v = tf.reduce_sum(u_hat, 1)
                else:
                    v = tf.reduce_sum(stopped, 1)
            return v

        class Capsules(keras.layers.Layer):
            def build(self, shape):
                self.w = self.add_weight(shape=(shape[-1], 4))
            def call(self, x):
                return routing(tf.matmul(x, self.w), 3)
    """) == []


def test_a_model_a_module_function_builds_is_a_model_where_its_result_is_stored():
    assert lint("""
        import tensorflow as tf
        from tensorflow import keras

        def build_encoder():
            inputs = keras.Input((4,))
            return keras.Model(inputs, keras.layers.Dense(2)(inputs))

        encoder = build_encoder()
        for x in data:
            code = encoder(x)
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(code ** 2)
            grads = tape.gradient(loss, encoder.trainable_variables)
    """) == [("GT107", 11)]


def test_a_compiled_loss_reading_the_models_symbolic_outputs_from_the_module():
    """RaGAN: `relGenLoss(y_true, y_pred)` ignores its arguments and reads `disc_r` and
    `disc_f`, outputs of a forward pass made once, when the model was built."""
    found = lint_source(textwrap.dedent("""
        from tensorflow.keras import Model, backend as K
        from tensorflow.keras.layers import Input, Dense
        real = Input((4,))
        disc = Model(real, Dense(1)(real))
        disc_r = disc(real)

        def rel_loss(y_true, y_pred):
            return -K.mean(K.log(K.sigmoid(disc_r - K.mean(disc_r)) + y_pred))

        train = Model(real, disc_r)
        train.compile("sgd", [rel_loss])
    """))
    assert [(d.rule, d.line, d.variant, d.names) for d in found] == [
        ("GT107", 9, "captured_symbolic", ["disc_r"])]


def test_a_layer_method_reading_encoder_outputs_from_the_module_names_each_once():
    found = lint_source(textwrap.dedent("""
        from tensorflow import keras
        from tensorflow.keras import backend as K
        inputs = keras.Input((4,))
        z_mu = keras.layers.Dense(2)(inputs)
        z_sigma = keras.layers.Dense(2)(inputs)

        class VAELoss(keras.layers.Layer):
            def kl(self):
                return K.mean(1 + z_sigma - K.square(z_mu) - K.exp(z_sigma))
            def call(self, x):
                self.add_loss(self.kl())
                return x
    """))
    assert [(d.rule, d.line, d.names) for d in found] == [("GT107", 10, ["z_sigma", "z_mu"])]


def test_symbolic_tensors_a_function_receives_or_builds_models_from_are_fine():
    assert lint("""
        from tensorflow import keras
        inputs = keras.Input((4,))
        z_mu = keras.layers.Dense(2)(inputs)

        def kl_loss(y_true, y_pred):
            return keras.ops.mean(y_pred ** 2)

        def build(z_mu):
            return keras.Model(inputs, z_mu)

        model = build(z_mu)
        model.add_loss(keras.ops.mean(z_mu ** 2))
        model.compile("adam", loss=kl_loss)
    """) == []


def test_the_function_a_loss_factory_returns_is_read_as_the_loss():
    """`compile(loss=custom_loss(3))`; the values it cuts are collected in a list."""
    assert lint("""
        import tensorflow as tf

        def custom_loss(n):
            def rank_loss(y_true, y_pred):
                terms = []
                for i in range(n):
                    ranks = tf.numpy_function(rank, [y_pred[:, i]], tf.float32)
                    terms.append(tf.reduce_sum((ranks - y_true[:, i]) ** 2))
                return tf.reduce_sum(terms)
            return rank_loss

        model.compile(optimizer="adam", loss=custom_loss(3))
    """) == [("GT106", 8)]


def test_a_list_that_also_collects_a_connected_value_is_connected():
    assert lint("""
        import tensorflow as tf

        def mixed_loss(y_true, y_pred):
            terms = [tf.reduce_mean(tf.square(y_true - y_pred))]
            terms.append(tf.reduce_mean(tf.round(y_pred)))
            return tf.add_n(terms)
    """) == []


def test_a_cut_in_a_helper_given_only_the_model_is_reported_in_the_helper():
    """Nothing but the model flows in: the helper's forward pass and its cut are followed."""
    assert lint("""
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(3)])

        def reconstruction_loss(net, grey, target):
            rgb = tf.image.hsv_to_rgb(net(grey))
            return tf.reduce_mean(tf.square(rgb - target))

        with tf.GradientTape() as tape:
            loss = reconstruction_loss(model, grey, target)
        grads = tape.gradient(loss, model.trainable_variables)
    """) == [("GT103", 6)]


def test_a_compiled_loss_that_only_calls_a_helper_is_read_as_a_loss():
    assert lint("""
        import tensorflow as tf
        from tensorflow.keras import backend as K

        def mean_iou(y_true, y_pred):
            return K.mean(tf.cast(K.argmax(y_pred, axis=-1), tf.float32))

        def iou_loss(y_true, y_pred):
            return 1 - mean_iou(y_true, y_pred)

        model = tf.keras.Sequential([tf.keras.layers.Dense(4)])
        model.compile(optimizer="adam", loss=iou_loss)
    """) == [("GT103", 6)]


def test_argsort_of_the_prediction_in_a_loss_is_a_cut():
    assert lint("""
        import tensorflow as tf

        def rank_loss(y_true, y_pred):
            return tf.reduce_sum(tf.abs(tf.argsort(y_true) - tf.argsort(y_pred)))

        model = tf.keras.Sequential([tf.keras.layers.Dense(4)])
        model.compile(optimizer="adam", loss=rank_loss)
    """) == [("GT103", 5)]


def test_get_value_of_the_labels_in_a_compiled_loss_fails_because_they_are_symbolic():
    code = """
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import backend as K

        def weighted(y_true, y_pred):
            yy = K.get_value(y_true)
            weights = np.where(yy > 0.5, 5.0, 0.5).astype("float32")
            return K.mean(weights * K.square(y_true - y_pred))

        model = tf.keras.Sequential([tf.keras.layers.Dense(3)])
        model.compile(optimizer="adam", loss=weighted)
    """
    assert lint(code) == [("GT101", 7)]
    # the same function called eagerly on arrays, never given to compile: no finding
    assert lint(code.replace('loss=weighted', 'loss="mse"')) == []
