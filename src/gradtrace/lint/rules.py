"""The lint rules: a code each, mapped to a cause of the one catalogue.

A rule's page is the cause's page (what, why, example, fix) plus what the linter looks
for; `gradtrace rule GT101` prints it. Causes that only a run can see are listed in
RUN_ONLY with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass

from gradtrace.catalogue import CAUSES


@dataclass(frozen=True)
class Rule:
    code: str
    cause: str
    looks_for: str

    @property
    def title(self) -> str:
        return CAUSES[self.cause].title

    def page(self) -> str:
        page = CAUSES[self.cause].page()
        heading, rest = page.split("\n", 1)
        return (f"# {self.code} ({self.cause}): {CAUSES[self.cause].title}\n{rest}"
                f"\n## What `gradtrace lint` looks for\n\n{self.looks_for}\n")


RULES = {rule.code: rule for rule in [
    Rule("GT101", "numpy_conversion",
         "`.numpy()`, `np.*(...)`, `float()`/`int()` applied to a value computed from a model "
         "or a layer's weights, when the result reaches the loss given to `tape.gradient` or "
         "returned by a loss function; and any `.numpy()` on such a value inside a traced "
         "context (a `train_step`, a loss passed to `compile`, a `@tf.function`), where it "
         "fails outright."),
    Rule("GT102", "predict_in_tape",
         "`model.predict(...)` or `predict_on_batch(...)` inside a `GradientTape` block or a "
         "`train_step`."),
    Rule("GT103", "nondifferentiable_op",
         "`argmax`/`argmin`, `round`, `floor`, `ceil`, `sign`, comparisons, "
         "`tf.random.categorical` and the like applied to a model's output when every path "
         "from the output to the loss goes through them (a loss function, the target of "
         "`tape.gradient`, or the output of a layer that reads its own weights); also inside "
         "a layer of a trained stack (`Sequential`, `.add`, a functional chain) with a "
         "weighted layer below it: a `Lambda` whose function, or one of the module's own "
         "layers whose `call`, cuts its input on every path."),
    Rule("GT104", "integer_cast",
         "`tf.cast(x, tf.int32)` (or another integer or boolean dtype) of a model's output on "
         "every path to the loss."),
    Rule("GT105", "stop_gradient",
         "`tf.stop_gradient(...)` of a model's output on every path to the loss."),
    Rule("GT106", "numpy_function",
         "`tf.numpy_function(...)` or `tf.py_function(...)` fed with a model's output on "
         "every path to the loss."),
    Rule("GT107", "outside_tape",
         "The forward pass (a call of the model) assigned before `with tf.GradientTape()` "
         "(or inside `tape.stop_recording()`) when the loss computed in the tape uses only "
         "that prediction: in a `train_step` or in a loop; and a value computed from a "
         "layer's weights in its `build()` or `__init__` (`self.kernel = self.kernel * "
         "self.mask`, `self.p = sigmoid(self.p_logit)`), stored on `self` and read by `call()` "
         "or the methods it runs (for a subclass of a built-in layer, the parent's `call()` "
         "reads `kernel`, `bias`...): computed once, it is a constant to every tape; a "
         "value computed from a module's raw `tf.Variable`s (or an instance of the module's "
         "own `tf.Module`) before the tape, when the loss uses only it; "
         "`optimizer.minimize(loss_fn)` where `loss_fn` only returns such a value, or "
         "`minimize(loss_tensor)` in eager code (no `Session`, no `tape=`); and "
         "`tape.gradient(-loss, ...)` (an operation in the target) after the tape closed."),
    Rule("GT108", "unwatched_tensor",
         "`tape.gradient(target, x)` where `x` is a tensor made in the code (`tf.constant`, "
         "`tf.convert_to_tensor`, `tf.random.*`, NumPy) and never `tape.watch(x)`-ed; a "
         "`GradientTape(watch_accessed_variables=False)` block that watches nothing."),
    Rule("GT109", "untracked_variable",
         "A raw `tf.Variable(...)` stored on `self` in a Keras Layer or Model subclass: Keras 3 "
         "does not track it (files that import `tf_keras` are skipped: tf-keras tracks it); "
         "a `tf.Variable(...)` created inside a `GradientTape` block or a `train_step`; a layer "
         "with weights, a model or `self.add_weight(...)` created inside a layer's `call()` or a "
         "method it runs, unless guarded to run once (`if self.dense is None`, `hasattr`); "
         "a variable, a layer with weights or a model created inside the function of a "
         "`Lambda` layer; and a trainable variable or a model that a `Lambda` function only "
         "captures (models frozen with `trainable = False` are left out); a `tf.Module` "
         "subclass holding Keras layers or `keras.Variable`s whose instance is asked for its "
         "`trainable_variables` (Keras 3: they are not tf.Modules, so it lists none)."),
    Rule("GT110", "missing_super_init",
         "A Keras Layer or Model subclass whose `__init__` never calls `super().__init__()`."),
    Rule("GT111", "custom_gradient_none",
         "The backward function of a `@tf.custom_gradient` function that returns `None`."),
    Rule("GT113", "frozen_model",
         "`model.trainable = False` followed, in the same code, by `tape.gradient(loss, "
         "model.trainable_variables)`: the list is empty; and `model.trainable = False` "
         "(a GAN's discriminator, frozen for the combined model) with nothing in the module "
         "setting it back, then `model.train_on_batch(...)` or `model.fit(...)`: Keras 3 reads "
         "`trainable` when the model trains (under tf-keras, only freezing before the "
         "model's own `compile` is reported). Also layers frozen for a first `fit` and "
         "unfrozen after it, when the same model trains again with no `compile()` in "
         "between (its train step was built with them frozen and is reused), and layers "
         "unfrozen by a Callback during `fit`."),
    Rule("GT114", "integer_variable",
         "A `tf.Variable` created with an integer value or dtype (or a list of them) and "
         "passed to `tape.gradient` as a source or to `minimize(..., var_list)`; a Keras "
         "layer's `self.add_weight(...)` (or `add_variable`) with an integer dtype and not "
         "`trainable=False`; a dtype given through a module-level name counts too."),
    Rule("GT115", "zero_gradient",
         "`compile(loss=\"categorical_crossentropy\")` on a Sequential model whose last layer "
         "is `Dense(1)`: the cross-entropy over one class is constant; a softmax over one "
         "unit (`Dense(1, activation=\"softmax\")`, or `Dense(1)` then `Activation(\"softmax"
         "\")`), which puts out 1 for every input; and two weighted layers in a row (in a "
         "`Sequential` list, `model.add` calls or a functional chain) that both start from a "
         "zero kernel, the first with zero biases and an activation that keeps 0 at 0 (ReLU, "
         "tanh, linear): both kernels, and every layer below, get exactly zero gradients."),
    Rule("GT116", "unused_variable",
         "`tape.gradient(loss, model.variables)` or `model.weights` (directly or through a "
         "name bound to it) in a module that makes non-trainable variables "
         "(`BatchNormalization`, a `keras.applications` model, `add_weight(..., "
         "trainable=False)`): those lists hold the moving statistics, which have no gradient."),
    Rule("GT117", "wrong_sources",
         "`params = model.trainable_variables` (or `trainable_weights`, `variables`, "
         "`weights`) taken before the model is built (a `Sequential` with no input shape, "
         "or the module's own Model subclass, not yet called, built or fitted), when `params` "
         "is given to `tape.gradient` or zipped into `apply_gradients`: the list is empty."),
    Rule("GT112", "variable_assign",
         "`var.assign(...)` (or `assign_add`, `scatter_update`, `scatter_sub`..., the "
         "variable's methods and `tf.compat.v1.scatter_*`) of a model's output or of the "
         "variables inside a `GradientTape` block or a layer's `call()`, when the loss then "
         "reads `var` (a slice `self.canvas[i].assign(...)` too); and a layer whose output "
         "reaches its own weights or sublayers only through such an assigned buffer. A "
         "buffer assigned the inputs' statistics (a moving mean) is not reported."),
]}

RULES_BY_CAUSE: dict[str, list[Rule]] = {}
for _rule in RULES.values():
    RULES_BY_CAUSE.setdefault(_rule.cause, []).append(_rule)

SYNTAX_ERROR = "GT001"  # not a cause: a file the linter could not read

RUN_ONLY = {  # causes no rule can see, and why
    "nonfinite_gradient": "a gradient's value exists only at run time",
    "disconnected": "the fallback of the run-time analysis",
    "no_grad": "a PyTorch cause: `gradtrace lint` reads TensorFlow code",
    "inplace_modification": "a PyTorch cause: `gradtrace lint` reads TensorFlow code",
    "backward_twice": "a PyTorch cause: `gradtrace lint` reads TensorFlow code",
}

PARTLY_STATIC = {  # causes a rule sees in one form only; `run` sees every form
    "wrong_sources": "seen when the list of variables is taken before the model is built; "
                     "otherwise which variables take part in the loss depends on which model "
                     "objects the names hold at run time",
    "unused_variable": "seen when the variables asked for are `model.variables` or "
                       "`model.weights` of a module that makes non-trainable statistics; "
                       "otherwise whether an output or a layer reaches the loss depends on "
                       "the model's structure, built at run time",
    "integer_variable": "seen when the integer value or dtype is written where the variable "
                        "is created and the variable is given to tape.gradient in the same "
                        "file; otherwise the dtype comes from data or configuration",
    "zero_gradient": "seen for a one-class cross-entropy or softmax and for stacked zero "
                     "kernels; otherwise a gradient's value exists only at run time",
    "frozen_model": "seen when the freeze and the gradient are in the same code; `trainable` "
                    "flags are often set far from the training code, or loaded",
}
