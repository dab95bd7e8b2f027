"""The cause catalogue: every way gradients go missing, in one place.

Each cause carries its stable slug (used in JSON, lint rules and the shared
cases), a title, the default severity, what happened, why it breaks
gradients, an example, and the fix. Detection lives in `gradtrace.analyze`,
rendering in `gradtrace.render`; both read their words from here.
"""
from __future__ import annotations

from dataclasses import dataclass


_VARIANT_WORDS = {
    "non_trainable": "the variables are non-trainable",
    "model_part": "a whole part of the model is left out",
    "made_in_step": "the variables are made inside the step",
    "kept_between_steps": "a tensor computed in an earlier step is reused by this one",
    "collected_before_build": "the list of variables was taken before the model was built",
    "unread_part": "the target reads a sparse or ragged tensor's indices, never its values",
    "keras_in_module": "a tf.Module holds Keras 3 layers, which it does not collect",
    "hand_listed": "a model lists its trainable variables by hand and leaves some out",
    "unfrozen_after_compile": "layers were unfrozen after compile",
    "unfrozen_during_fit": "layers were unfrozen while fit ran",
    "integer_tensor": "the gradient is asked for an integer tensor",
    "integer_weight": "a layer's weight is made with an integer dtype and left trainable",
    "dataset_loop": "a loop over a tf.data.Dataset runs inside a tf.function",
    "values_left_out": "only the indices of top-k (or another op with values beside its indices) are used",
    "metric_as_loss": "a Keras Metric is used as the loss",
    "made_in_build": "a tensor is computed from the weights in `build` or `__init__`",
    "output_without_loss": "a model output has no loss in `compile`",
    "held_by_container": "layers were unfrozen inside a frozen model",
    "loss_callable": "the optimizer calls a loss function under its own tape",
    "captured_symbolic": "a loss function or a layer reads a functional model's symbolic tensor from outside",
    "made_after_target": "the tensor asked about was made after the target",
    "swapped_arguments": "the loss and the variables are given the wrong way round",
    "constant_target": "the target is made from constants alone",
    "used_in_lambda": "a Lambda layer's function calls other layers",
    "variable_in_lambda": "a Lambda layer's function uses a variable",
    "guarded_use": "the variables are used only under a loop or condition that did not count",
    "dropped_result": "a result is computed and then never used",
    "single_unit_softmax": "a softmax over a single unit",
    "one_class_crossentropy": "a categorical cross-entropy over a single class",
    "softmax_sum": "the target is a softmax's whole output, whose entries always sum to 1",
    "piece_of_model": "the step calls one layer of a model directly and never the model itself",
    "element_left_out": "a layer returns several results and the code that applies it keeps another one",
    "state_not_passed": "a recurrent layer's final state is never passed on as another's `initial_state`",
    "variable_copied": "a variable is copied into another layer (`weights=`, `set_weights`)",
    "referred_here": "the one line that refers to a variable does not use its value on the way to the loss",
    "clipped_everywhere": "every value is clipped, where the clip's gradient is zero",
    "cancelled_sample": "a sample's log-probability subtracts the mean it was drawn from",
    "traced_unmoved": "a traced step never changes the variables it trains",
    "loss_scale_skipped": "mixed precision's loss scaling skipped every step",
    "derivative_only": "the loss uses the variable's result only through a derivative",
    "never_called": "layers made by a model that its `call` never calls",
    "ignored_parameter": "a function (a loss) never reads the parameter the result is passed as",
    "exp_overflow": "`exp` overflows",
    "domain_edge": "`acos`, `asin` or `atanh` reach the edge of their domain",
    "saturated": "a softmax, sigmoid or tanh saturated",
    "dead_layer": "a layer's output is zero for every input",
    "zero_backward": "a layer passes back a zero gradient",
    "constant_output": "a layer puts out the same value for every input",
    "variable_rebound": "a variable's update rebinds its name to a tensor",
    "added_loss_dropped": "a loss given to `add_loss` is left out of the loss",
    "symmetric_start": "weights start with the same value everywhere",
    "read_in_dataset": "a variable is read in a tf.data pipeline function",
    "variables_argument": "a custom gradient's function reads variables and `grad` takes no `variables`",
    "model_inside": "the model runs inside the Python function that `tf.numpy_function` calls",
    "constant_term": "a term of the loss is computed before the tape",
    "added_after_gradient": "a term is added to the loss after its gradient was taken",
    "nonfinite_input": "the NaN comes in with a NumPy input of a later step",
    "target_from_other_path": "the target reads the input on another path than the tensor asked about",
}


@dataclass(frozen=True)
class Cause:
    slug: str
    title: str
    severity: str  # "error" | "warning"
    what: str
    why: str
    fix: str
    example: str = ""
    use_instead: str = ""
    # The fix for a particular shape of the cause, named by the finding's `variant`.
    variant_fixes: tuple[tuple[str, str], ...] = ()

    def fix_for(self, variant: str = "") -> str:
        return dict(self.variant_fixes).get(variant, self.fix)

    def page(self) -> str:
        """The cause's documentation page, in Markdown (terminal and docs alike)."""
        sections = [f"# {self.slug}: {self.title}", f"Severity: {self.severity}",
                    "## What happened", self.what, "## Why it breaks gradients", self.why]
        if self.example:
            sections += ["## Example", f"```python\n{self.example}\n```"]
        if self.use_instead:
            sections += ["## Use instead", f"```python\n{self.use_instead}\n```"]
        sections += ["## Fix", self.fix]
        sections += [f"When {_VARIANT_WORDS.get(name, name)}: {fix}" for name, fix in self.variant_fixes]
        return "\n\n".join(sections) + "\n"


_CAUSES = [
    Cause(
        slug="numpy_conversion",
        title="Values left TensorFlow through NumPy or Python",
        severity="error",
        what="A tensor that depends on the trainable variables was turned into a NumPy "
        "array or a Python number (`.numpy()`, `np.*` on a tensor, `float()`), or the loss "
        "itself is a NumPy/Python number.",
        why="The tape only sees TensorFlow operations. Whatever is computed from the NumPy "
        "copy is a new constant with no history, so nothing links the loss back to the "
        "variables. Inside `tf.function` or `model.fit` the same mistake fails earlier with "
        "\"Cannot convert a symbolic tf.Tensor to a NumPy array\".",
        fix="Keep the computation in TensorFlow: use `tf.*` / `keras.ops.*` functions on the "
        "tensor instead of `.numpy()` and `np.*`.",
        example="loss = np.mean((pred.numpy() - y) ** 2)",
        use_instead="loss = tf.reduce_mean(tf.square(pred - y))",
        variant_fixes=(
            ("variable_copied", "Compute with the variable itself (`tf.matmul(x, self.w) + "
             "self.b`) instead of copying it into another layer with `weights=` or "
             "`set_weights`."),
        ),
    ),
    Cause(
        slug="predict_in_tape",
        title="model.predict() inside the tape",
        severity="error",
        what="`model.predict()` or `predict_on_batch()` was called inside the tape.",
        why="`predict` runs its own loop and returns NumPy arrays: the tape cannot follow "
        "the values back to the model's variables.",
        fix="Call the model directly inside the tape: `model(x, training=True)`.",
        example="fake = generator.predict(noise)",
        use_instead="fake = generator(noise, training=True)",
    ),
    Cause(
        slug="nondifferentiable_op",
        title="An operation without a gradient sits on the path to the loss",
        severity="error",
        what="Every path from the variables to the loss goes through an operation that has "
        "no gradient: argmax/argmin, round, floor, ceil, a comparison, top-k indices, "
        "sampling, a one-hot of indices, or a boolean mask built from the values.",
        why="Such operations are flat or discrete: their derivative is zero or undefined "
        "almost everywhere, so TensorFlow returns no gradient through them.",
        fix="Use a differentiable surrogate: the probabilities or logits instead of argmax "
        "(e.g. a cross-entropy loss), a straight-through estimator for rounding "
        "(`x + tf.stop_gradient(tf.round(x) - x)`), log-probabilities for sampled actions.",
        example="predicted = tf.argmax(probs, axis=-1)\nloss = 1.0 - accuracy(predicted, labels)",
        use_instead="loss = keras.losses.sparse_categorical_crossentropy(labels, probs)",
        variant_fixes=(
            ("dataset_loop", "Loop over tensors, not over the dataset, inside the "
             "tf.function: take the values out first (`values = tf.constant(list(dataset))`, "
             "then `for i in tf.range(n): x = x * values[i]`), or run the loop eagerly."),
            ("values_left_out", "Use the values beside the indices, so the ranking's scores "
             "reach the loss: gate what you gather by them (`values, idx = tf.math.top_k(y, "
             "k)`, then `tf.gather(x, idx, batch_dims=1) * tf.sigmoid(values)[..., None]`, "
             "the gate of Graph U-Nets' gPool)."),
        ),
    ),
    Cause(
        slug="integer_cast",
        title="A cast to an integer or boolean type cuts the chain",
        severity="error",
        what="A tensor that depends on the variables was cast to an integer or boolean dtype.",
        why="Gradients exist only for floating-point values: the cast ends the chain even if "
        "the values are cast back to float afterwards.",
        fix="Keep the values in a floating-point dtype; if you need rounding, use a "
        "straight-through estimator (`x + tf.stop_gradient(tf.round(x) - x)`).",
        example="bucket = tf.cast(score, tf.int32)",
        use_instead="bucket = score + tf.stop_gradient(tf.round(score) - score)",
    ),
    Cause(
        slug="stop_gradient",
        title="tf.stop_gradient on the path to the loss",
        severity="error",
        what="`tf.stop_gradient` (or `keras.ops.stop_gradient`) wraps a value on every path "
        "from the variables to the loss.",
        why="`stop_gradient` is an identity whose gradient is defined as nothing: it is meant "
        "for targets (a DQN target, a teacher's output), not for the prediction.",
        fix="Remove `stop_gradient` from the prediction; apply it to the target instead.",
        example="pred = tf.stop_gradient(model(x))",
        use_instead="pred = model(x)\ntarget = tf.stop_gradient(target)",
    ),
    Cause(
        slug="numpy_function",
        title="tf.numpy_function has no gradient",
        severity="error",
        what="The values pass through `tf.numpy_function` (or the old `tf.py_func`).",
        why="TensorFlow cannot differentiate the Python code inside `numpy_function`; "
        "it defines no gradient at all.",
        fix="Write the computation with TensorFlow ops, or use `tf.py_function` "
        "(differentiable through TensorFlow ops it runs) or `@tf.custom_gradient`.",
        variant_fixes=(
            ("model_inside", "Call the model inside the tape, outside `tf.numpy_function`, "
             "and pass only the work that needs NumPy (an environment step, say) through "
             "`tf.numpy_function`, on the model's outputs."),),
        example="err = tf.numpy_function(lambda a, b: np.abs(a - b), [y, p], tf.float32)",
        use_instead="err = tf.abs(y - p)",
    ),
    Cause(
        slug="outside_tape",
        title="The forward pass ran while the tape was not recording",
        severity="error",
        what="The variables were read before the tape opened, after it closed, or inside "
        "`tape.stop_recording()`; in a custom `train_step`, the prediction was computed "
        "before `with tf.GradientTape()`.",
        why="A tape only records operations executed while it is open and recording; the "
        "loss then depends on a value with no recorded history.",
        fix="Move the forward pass (the model call and the loss) inside the "
        "`with tf.GradientTape() as tape:` block.",
        variant_fixes=(
            ("kept_between_steps", "Recompute the value inside the tape at every step: "
             "drop the cache (or key it on something new each step), or rebuild the object "
             "that holds it inside the tape."),
            ("read_in_dataset", "Keep the pipeline free of trainable variables: let the "
             "dataset yield what selects the values (indices, say), and read the variable "
             "with them inside the tape (`tf.gather(variable, i)` in the step)."),
            ("made_in_build", "Keep only the weights in `build` (or `__init__`) and compute "
             "the tensor derived from them inside `call`, so every step reads the weights."),
            ("constant_term", "Compute that term inside the `with tf.GradientTape()` block "
             "(a regularization sum such as `tf.add_n(model.losses)` too: Keras computes it "
             "from the weights when it is read), and include the variables it must train in "
             "the gradient's sources."),
            ("added_after_gradient", "Add the term to the loss inside the tape, before "
             "`tape.gradient`: `loss = data_loss + l2 * tf.add_n([tf.nn.l2_loss(w) for w in "
             "weights])` within the `with tf.GradientTape()` block."),
            ("captured_symbolic", "Give the code the tensor as an input instead of "
             "reading it from outside: a layer takes `[x, z_mean, z_log_var]` and computes the "
             "term from its inputs in `call()`; a loss given to `compile` sees only `y_true` and "
             "`y_pred`, so make the tensor an output of the model and compute from `y_pred`, "
             "or add the term with `model.add_loss(...)` on the functional model, or write a "
             "`train_step` that computes it under its tape."),
            ("loss_callable", "Call the model inside the loss function given to the "
             "optimizer (`minimize(loss_fn, var_list)` runs `loss_fn` under its own tape), "
             "not before it."),
        ),
        example="y_pred = self(x, training=True)\nwith tf.GradientTape() as tape:\n"
        "    loss = self.compute_loss(y=y, y_pred=y_pred)",
        use_instead="with tf.GradientTape() as tape:\n    y_pred = self(x, training=True)\n"
        "    loss = self.compute_loss(y=y, y_pred=y_pred)",
    ),
    Cause(
        slug="wrong_sources",
        title="The gradient was asked for the wrong variables",
        severity="error",
        what="None of the variables passed to `tape.gradient` took part in the loss, while "
        "other variables did (another model's, or a stale list from a rebuilt model).",
        why="The loss does not depend on the requested variables, so their gradient is None.",
        fix="Ask for the variables of the model that the loss depends on.",
        variant_fixes=(
            ("collected_before_build", "Take `model.trainable_variables` after the model is "
             "built (read it in the step, after the forward pass), or build the model first "
             "(`keras.Input(shape)` as its first layer, or `model.build(input_shape)`)."),
            ("swapped_arguments", "Put the loss first and the variables second: "
             "`tape.gradient(loss, model.trainable_variables)`; tf-keras' "
             "`optimizer.get_updates(loss=loss, params=model.trainable_weights)` (Keras 1 took "
             "the parameters first)."),
            ("made_after_target", "Ask for the gradient with respect to the tensor the "
             "target was computed from (`tape.gradient(losses, inputs)`), then index the "
             "result, instead of slicing the input after the loss."),
            ("target_from_other_path", "Compute the target from the tensor you ask about "
             "(apply the model or the expression to it), not from the input it was made from."),
        ),
        example="grads = tape.gradient(d_loss, generator.trainable_variables)",
        use_instead="grads = tape.gradient(d_loss, discriminator.trainable_variables)",
    ),
    Cause(
        slug="unused_variable",
        title="Some variables take no part in the loss",
        severity="warning",
        what="Some requested variables never reach the loss (an unused head, branch or "
        "layer); the others train. Keras 3 warns \"Gradients do not exist for variables\".",
        why="A variable whose values never reach the loss has no gradient; the optimizer "
        "skips it and it never trains.",
        fix="Add the missing output to the loss, or leave the unused part out of the "
        "variables you train (or freeze it with `layer.trainable = False`).",
        example="main_out, aux_out = model(x)\nloss = mse(y, main_out)",
        use_instead="loss = mse(y, main_out) + 0.3 * mse(y_aux, aux_out)",
        variant_fixes=(
            ("non_trainable", "Ask for `model.trainable_variables` (not `model.variables` or "
             "`model.weights`): non-trainable variables such as BatchNormalization's moving "
             "statistics are updated by assignment and have no gradient."),
            ("added_loss_dropped", "Add the layers' losses to the loss you differentiate: "
             "`loss = loss + sum(model.losses)` (in a custom loop, `train_step` or "
             "`compute_loss`)."),
            ("dropped_result", "Use the result that is dropped where it belongs (a later "
             "line reads another value instead: `u2 = self.up_2(x2)` where `u3` was meant), "
             "or remove the computation and the layers that make it."),
            ("piece_of_model", "Call the model itself (`self.backbone(inputs)`) when its "
             "output is what you mean to use; when one layer of it is all you need, keep "
             "that layer alone in your model (or set `trainable = False` on the model's "
             "other layers), so that no gradient is expected for the rest."),
            ("element_left_out", "Feed the element that the variables go into (a BERT "
             "model's pooled output, `outputs[1]`) into the rest of the model; or, when the "
             "element you keep is the one you mean, set `trainable = False` on the layers "
             "that make only the other one, so that no gradient is expected for them."),
            ("state_not_passed", "Start the decoder from the encoder's final state: "
             "`decoder(y, initial_state=states)` (in Keras, the list `[state_h, state_c]` "
             "of an LSTM made with `return_state=True`); or, if the decoder should start "
             "from zeros, drop the encoder from the variables you train."),
            ("derivative_only", "Expected when the loss is made of derivatives alone (a "
             "physics-informed network): put the variable in a term that depends on what is "
             "differentiated, train without it (for an output layer's bias, "
             "`use_bias=False`), or add a loss term on the value itself (a boundary or "
             "initial condition)."),
            ("referred_here", "Compute with the variable itself on this line (`tf.matmul(x, "
             "self.w) + self.b`): handing it to another layer (`weights=[self.w]`) or object "
             "copies or ignores its value, and only the variable's own reads reach the loss."),
            ("never_called", "Call these layers in `call` (for a list of blocks: `for "
             "block in self.blocks: x = block(x)`), or remove them from the model."),
            ("ignored_parameter", "Use the parameter in what the function returns (a loss "
             "computed from `y_pred`), or stop asking for the variables that only reach it."),
            ("guarded_use", "Create these weights only when the code that uses them runs "
             "(the same condition, or a loop that runs at least once for this setting), or "
             "change the setting that skips that code."),
            ("output_without_loss", "Give that output a loss in `compile` "
             "(`loss={\"output_a\": \"mse\", \"output_b\": \"mse\"}`, with `loss_weights` to "
             "weigh them), or build the model you train without that output."),
            ("model_part", "Build the model you train from the outputs the loss uses (or add "
             "the unused part's output to the loss), and ask only for the variables of the "
             "part that feeds the loss."),
        ),
    ),
    Cause(
        slug="untracked_variable",
        title="A variable used by the model is not trainable through Keras",
        severity="error",
        what="A variable that the forward pass uses is not among the trainable variables: "
        "a raw `tf.Variable` held by a Keras 3 layer, or a variable created inside the step.",
        why="Keras 3 tracks only weights made with `self.add_weight` (or `keras.Variable`): "
        "a raw `tf.Variable` is invisible to `model.trainable_variables`, so it is never "
        "asked for and never trained.",
        fix="Create the weight with `self.add_weight(...)` in `__init__` or `build`.",
        variant_fixes=(
            ("hand_listed", "Let Keras list the variables: drop the `trainable_variables` "
             "override (Keras tracks every layer the model assigns to `self`), or make the list "
             "name each layer `call` uses, once."),
            ("made_in_step", "Create layers and variables once, in `__init__` or `build` (or "
             "outside the tf.function), and only use them in `call` or the step."),
            ("used_in_lambda", "Call the layers (or the model) on the tensors directly, "
             "outside the Lambda (`y = model1(model1(x))`), or write a Layer subclass that "
             "holds them as attributes, so the model tracks their weights."),
            ("variable_in_lambda", "Write a small Layer subclass that makes the value with "
             "`self.add_weight(...)` in `build` and uses it in `call`, in place of the "
             "Lambda and the free-standing variable."),
            ("keras_in_module", "Subclass `keras.Model` (or `keras.layers.Layer`) instead of "
             "`tf.Module`: a Keras model tracks the layers it assigns to `self`, and its "
             "`trainable_variables` lists their weights."),
        ),
        example="self.scale = tf.Variable(1.0)",
        use_instead="self.scale = self.add_weight(shape=(), initializer=\"ones\", name=\"scale\")",
    ),
    Cause(
        slug="unwatched_tensor",
        title="The gradient was asked for a tensor the tape does not watch",
        severity="error",
        what="`tape.gradient` was asked for a plain tensor (an input for a saliency map or a "
        "gradient penalty) that was never `tape.watch`ed, or the tape was opened with "
        "`watch_accessed_variables=False` and the variables were not watched.",
        why="A tape records gradients only with respect to trainable variables it saw read "
        "and tensors it was told to watch.",
        fix="Call `tape.watch(tensor)` inside the tape before the tensor is used.",
        example="with tf.GradientTape() as tape:\n    score = model(image)",
        use_instead="with tf.GradientTape() as tape:\n    tape.watch(image)\n    score = model(image)",
        variant_fixes=(
            ("variable_rebound", "Update the variable in place, `w.assign_sub(learning_rate * "
             "dw)` (or an optimizer's `apply_gradients`): it stays a tf.Variable, which every "
             "tape watches."),
        ),
    ),
    Cause(
        slug="integer_variable",
        title="The variable has an integer type",
        severity="error",
        what="A requested variable (or tensor) has an integer or boolean dtype.",
        why="Gradients are only defined for floating-point (or complex) values.",
        fix="Create the variable with a float dtype: `tf.Variable(3.0)`.",
        variant_fixes=(
            ("integer_tensor", "Ask for the gradient with respect to a float tensor computed "
             "from the integer one (an embedding's output, a one-hot encoding, the float "
             "values the indices select), not the indices or ids themselves."),
            ("integer_weight", "Make the weight with a float dtype (`dtype=\"float32\"`), or, "
             "for integer state such as a counter, with `trainable=False`."),
        ),
        example="offset = tf.Variable(3)",
        use_instead="offset = tf.Variable(3.0)",
    ),
    Cause(
        slug="variable_assign",
        title="Values were written into a variable and read back",
        severity="error",
        what="The values were stored with `assign` and read back from the variable.",
        why="An assignment is not differentiable: reading the variable afterwards gives a "
        "value with no link to what was assigned.",
        fix="Use the tensor directly instead of storing it in a variable inside the tape.",
        variant_fixes=(
            ("metric_as_loss", "Use the loss of the same name from `keras.losses` (or its "
             "function) instead of the `keras.metrics` object; keep the metric in "
             "`metrics=[...]`."),
        ),
        example="buffer.assign(pred)\nloss = mse(y, buffer)",
        use_instead="loss = mse(y, pred)",
    ),
    Cause(
        slug="custom_gradient_none",
        title="A @tf.custom_gradient returns None",
        severity="error",
        what="The backward function of a `@tf.custom_gradient` returned None for an input.",
        why="None means \"no gradient\": everything upstream of the custom function gets none.",
        fix="Return a tensor for every input (the upstream gradient itself for a "
        "straight-through estimator).",
        variant_fixes=(
            ("variables_argument", "Give the gradient function a `variables=None` keyword "
             "argument and return `(input_gradients, variable_gradients)`, one gradient "
             "per variable in `variables`."),),
        example="def grad(upstream):\n    return None",
        use_instead="def grad(upstream):\n    return upstream",
    ),
    Cause(
        slug="zero_gradient",
        title="The loss does not respond to the weights: its gradient is zero",
        severity="warning",
        what="The gradients exist but are exactly zero, or the loss is constant in the "
        "weights so its true gradient is zero: the model silently never learns (categorical "
        "cross-entropy on a one-unit output, `tf.sign` on the path). With a constant loss, "
        "Keras' fused softmax gradient can even move the weights while the loss stays put.",
        why="A zero gradient means the loss does not change when the variables do: "
        "the optimizer has nothing to follow.",
        fix="Check that the loss matches the model's output: binary cross-entropy for one "
        "sigmoid unit, categorical cross-entropy for a softmax over several units.",
        variant_fixes=(
            ("symmetric_start", "Start the weights from random values (Glorot, or "
             "`tf.random.normal(shape, stddev=0.1)`), not `tf.zeros`: biases may start at zero, "
             "weight matrices may not."),
            ("constant_output", "Change the layer that puts out one value for every "
             "input: a softmax needs one unit per class (use a sigmoid for a single unit); "
             "a layer whose weights or activation make it constant cannot pass on a "
             "signal."),
            ("zero_backward", "Find the op in that layer whose gradient is zero at these "
             "values (`tf.sign`, `tf.round`, a comparison, an SVD or eigen-decomposition at "
             "repeated values) and replace it with a differentiable one, or start the weights "
             "away from the point where its gradient vanishes."),
            ("traced_unmoved", "Run the step eagerly once (`tf.config.run_functions_eagerly("
             "True)` at the top of the script) under `gradtrace run`: with the values "
             "recorded it names the op that makes the gradient zero."),
            ("cancelled_sample", "Take the log-probability of the sample as data: "
             "`dist.log_prob(tf.stop_gradient(action))` (REINFORCE), or drop the log-probability "
             "and train through the reparameterised sample itself."),
            ("clipped_everywhere", "Let the gradient through the clip: clip the gradient, "
             "not the value (a Huber loss, `keras.losses.Huber(delta=1.0)`, is DQN's error "
             "clipping); clip straight-through (`x + tf.stop_gradient(tf.clip_by_value(x, lo, "
             "hi) - x)`); for a clipped sigmoid, give the raw logits to the loss "
             "(`from_logits=True`); or scale the inputs so that the values start inside the "
             "range."),
            ("dead_layer", "Do not end a regression model with `activation=\"relu\"` "
             "(use a linear output), and start ReLU layers so that some units are active: "
             "a bias initializer above zero, `LeakyReLU`, or scaled inputs."),
            ("single_unit_softmax", "Use `activation=\"sigmoid\"` for one unit (a value or a "
             "yes/no probability), or as many softmax units as there are classes; a linear "
             "unit for a value estimate (a critic, a regression)."),
            ("one_class_crossentropy", "Use binary cross-entropy for one output unit "
             "(`BinaryCrossentropy`, `loss=\"binary_crossentropy\"`), or one output unit per "
             "class with categorical cross-entropy and one-hot labels."),
            ("softmax_sum", "Differentiate a scalar that depends on the input: one class's "
             "probability or logit (`probs[:, label]`), or the loss against a label (as FGSM "
             "does)."),
            ("saturated", "Keep the activation out of its flat ends: scale the inputs "
             "(`x / 255`), average the loss over the batch instead of summing it, lower the "
             "learning rate, and compute the loss from logits "
             "(`tf.nn.softmax_cross_entropy_with_logits`, `from_logits=True`)."),
        ),
        example="model.compile(loss=\"categorical_crossentropy\")  # 1-unit sigmoid output",
        use_instead="model.compile(loss=\"binary_crossentropy\")",
    ),
    Cause(
        slug="nonfinite_gradient",
        title="Gradients contain NaN or Inf",
        severity="warning",
        what="Some gradients contain NaN or infinite values.",
        why="A NaN or Inf gradient corrupts the weights at the next update.",
        fix="Look for log/sqrt/division of zero or negative values; clip or add an epsilon.",
        example="loss = -tf.reduce_mean(tf.math.log(p))",
        use_instead="loss = -tf.reduce_mean(tf.math.log(p + 1e-7))",
        variant_fixes=(
            ("nonfinite_input", "Make the input finite where it is computed: divide by "
             "`(x.std() + 1e-8)` (or skip the batch when its values are all equal), clip "
             "before a log; and check what goes into the step with `np.isfinite(x).all()`."),
            ("loss_scale_skipped", "Keep the loss in a range float16 can differentiate "
             "(normalise the targets, average rather than sum, drop a large constant factor), "
             "or train this model in float32."),
            ("domain_edge", "Keep the input strictly inside the domain, where the gradient "
             "is finite: `tf.math.acos(tf.clip_by_value(c, -1 + 1e-7, 1 - 1e-7))` (a cosine "
             "similarity reaches 1 exactly for identical vectors)."),
            ("exp_overflow", "Keep `exp`'s input bounded where it can grow: "
             "`tf.exp(tf.minimum(x, 0.0)) - 1` in the branch of a `tf.where` that needs it "
             "(both branches are computed, and differentiated), or the built-in activation; "
             "scaling the inputs helps too."),
        ),
    ),
    Cause(
        slug="frozen_model",
        title="Nothing is trainable",
        severity="error",
        what="Training was asked for a model with no trainable variables "
        "(`model.trainable = False`, or every layer frozen).",
        why="With no trainable variables there is nothing to differentiate or update.",
        fix="Unfreeze what should train (`layer.trainable = True`) and, for `model.fit`, "
        "compile again after changing `trainable`.",
        example="model.trainable = False\nmodel.fit(x, y)",
        use_instead="base.trainable = False  # freeze only the base\nmodel.fit(x, y)",
        variant_fixes=(
            ("unfrozen_after_compile", "Call `model.compile(...)` again after changing "
             "`trainable`, before the next `fit` or `train_on_batch`."),
            ("unfrozen_during_fit", "Split training in two `fit` calls: stop after the "
             "warm-up epochs, set `trainable = True`, `compile()` again, then `fit(..., "
             "initial_epoch=...)`."),
            ("held_by_container", "Unfreeze the containing model (`base.trainable = True`), "
             "freeze again only the layers that stay fixed, and compile again."),
        ),
    ),
    Cause(
        slug="missing_super_init",
        title="A subclassed Layer or Model does not call super().__init__()",
        severity="error",
        what="A subclassed Layer or Model's `__init__` does not call `super().__init__()`.",
        why="Keras sets up weight tracking in `Layer.__init__`; without it Keras fails "
        "before any gradient exists.",
        fix="Call `super().__init__(**kwargs)` first thing in `__init__`.",
        example="def __init__(self):\n    self.dense = Dense(4)",
        use_instead="def __init__(self, **kwargs):\n    super().__init__(**kwargs)\n"
        "    self.dense = Dense(4)",
    ),
    # PyTorch's own causes (issue 13 adds their detection; their slugs are shared now).
    Cause(
        slug="no_grad",
        title="The forward pass ran with gradient recording off",
        severity="error",
        what="PyTorch: the forward pass ran inside `with torch.no_grad()`, "
        "`torch.inference_mode()`, `torch.set_grad_enabled(False)`, or in a function "
        "decorated with `@torch.no_grad()`, so its outputs have no `grad_fn`.",
        why="With gradient recording off, autograd builds no graph: `loss.backward()` fails "
        "with \"element 0 of tensors does not require grad and does not have a grad_fn\", or "
        "the parameters' `.grad` stay None.",
        fix="Run the forward pass that the loss uses outside `torch.no_grad()` (keep "
        "`no_grad` for evaluation and for targets that must not train).",
        example="with torch.no_grad():\n    logits = model(x)\nloss = F.cross_entropy(logits, y)",
        use_instead="logits = model(x)\nloss = F.cross_entropy(logits, y)",
    ),
    Cause(
        slug="inplace_modification",
        title="A tensor the backward pass needs was changed in place",
        severity="error",
        what="PyTorch: a tensor saved for the backward pass was modified in place after it "
        "was used (`x += 1`, `relu_(x)`, `x[i] = ...`, an `inplace=True` activation, an "
        "optimizer step between two backward passes).",
        why="Autograd checks each saved tensor's version counter; an in-place change makes "
        "the saved value stale, and backward raises \"one of the variables needed for "
        "gradient computation has been modified by an inplace operation\".",
        fix="Use the out-of-place form (`x = x + 1`, `torch.relu(x)`, `inplace=False`), or "
        "`.clone()` the tensor before changing it.",
        example="h = torch.sigmoid(z)\nh.clamp_(0.1, 0.9)\nloss = h.sum()",
        use_instead="h = torch.sigmoid(z).clamp(0.1, 0.9)\nloss = h.sum()",
    ),
    Cause(
        slug="backward_twice",
        title="Backward through a graph whose buffers were already freed",
        severity="error",
        what="PyTorch: `backward()` went through part of a graph that an earlier "
        "`backward()` already freed: an RNN hidden state carried across batches without "
        "`.detach()`, a loss or an output reused from a previous iteration.",
        why="After `backward()`, autograd frees the saved tensors of the graph it went "
        "through; a second pass raises \"Trying to backward through the graph a second "
        "time\".",
        fix="Detach what you carry from one step to the next (`hidden = hidden.detach()`), "
        "recompute the forward pass each step, or pass `retain_graph=True` only when you "
        "really mean to go through the same graph twice.",
        example="for x, y in batches:\n    out, hidden = rnn(x, hidden)\n    "
        "loss_fn(out, y).backward()",
        use_instead="for x, y in batches:\n    hidden = hidden.detach()\n    "
        "out, hidden = rnn(x, hidden)\n    loss_fn(out, y).backward()",
    ),
    Cause(
        slug="disconnected",
        title="The variables are not connected to the loss",
        severity="error",
        what="The variables do not reach the loss and no more specific cause could be shown.",
        why="A variable that does not reach the loss gets no gradient.",
        fix="Follow the path shown from the variables toward the loss and reconnect it.",
        variant_fixes=(
            ("constant_target", "Compute the target from the tensor (or the model output) "
             "inside the tape, instead of typing its value in or making it from constants."),
            ("unread_part", "Make the computation read the values (`a.values` as edge "
             "weights, `tf.sparse.sparse_dense_matmul(a, x)`), or stop asking for their "
             "gradient."),
        ),
    ),
]

CAUSES: dict[str, Cause] = {cause.slug: cause for cause in _CAUSES}


def cause(slug: str) -> Cause:
    return CAUSES[slug]
