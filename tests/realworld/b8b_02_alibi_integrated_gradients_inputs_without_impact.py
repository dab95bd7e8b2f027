"""alibi's IntegratedGradients on a Keras model with a list of inputs. The explainer builds the
straight-line paths for every input, and for each batch `_gradients_input` watches the list of
path tensors and asks `tape.gradient(preds, x)` for all of them at once. In the user's model two
of the inputs (`store_id`, `weekday`) have no influence on the explained target: they are
declared inputs, but the prediction is computed from the other two only. For those two the tape
returns None, so the per-input gradient batches look like [[g1], [g2], None, None] and
`_calculate_sum_int` crashes in `tf.concat(batches[j], 0)` with "Attempt to convert a value
(None) with an unsupported type". The PR replaces a None gradient by zeros of the input's shape
(or: connect the inputs, or explain only the inputs the target depends on).
---
source: https://github.com/SeldonIO/alibi/pull/987
framework: both
outcome: error
cause: disconnected
line: [38, 74]
variables: [store_id, weekday]
xfail: "two declared inputs of the functional model feed nothing (the Concatenate at line 38 takes the other two): gradtrace sees the input tensors go into the model call and says another forward pass made its own copy (wrong_sources at line 61), instead of naming the inputs the model never uses"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import string
import numpy as np
import tensorflow as tf
from tensorflow import keras

np.random.seed(0)
tf.random.set_seed(0)

N_STEPS = 8
INTERNAL_BATCH_SIZE = 8


# ---- the user's model: four named inputs, the prediction only uses the first two ----
def build_model():
    sales = keras.Input(shape=(6,), name="sales")
    price = keras.Input(shape=(3,), name="price")
    store_id = keras.Input(shape=(4,), name="store_id")
    weekday = keras.Input(shape=(7,), name="weekday")
    x = keras.layers.Concatenate()([sales, price])
    x = keras.layers.Dense(16, activation="relu")(x)
    outputs = keras.layers.Dense(3, activation="softmax")(x)
    return keras.Model(inputs=[sales, price, store_id, weekday], outputs=outputs)


model = build_model()


# ---- alibi/explainers/integrated_gradients.py (abridged) ----
def _select_target(preds, targets):
    if not isinstance(targets, tf.Tensor):
        targets = tf.convert_to_tensor(targets)
    if targets is not None:
        preds = tf.gather_nd(preds, tf.expand_dims(targets, axis=1), batch_dims=1)
    else:
        raise ValueError("target cannot be `None` if `model` output dimensions > 1")
    return preds


def _run_forward(model, x, target, forward_kwargs=None):
    if forward_kwargs is None:
        forward_kwargs = {}
    preds = model(x, **forward_kwargs)
    if len(model.output_shape) > 1 and model.output_shape[-1] > 1:
        preds = _select_target(preds, target)
    return preds


def _gradients_input(model, x, target, forward_kwargs=None):
    if forward_kwargs is None:
        forward_kwargs = {}
    with tf.GradientTape() as tape:
        tape.watch(x)
        preds = _run_forward(model, x, target, forward_kwargs=forward_kwargs)

    grads = tape.gradient(preds, x)

    return grads


def _sum_integral_terms(step_sizes, grads):
    input_str = string.ascii_lowercase[1: len(grads.shape)]
    einstr = 'a,a{}->{}'.format(input_str, input_str)
    return np.einsum(einstr, step_sizes, grads)


def _calculate_sum_int(batches, model, target, target_paths, n_steps, nb_samples, step_sizes, j):
    grads = tf.concat(batches[j], 0)
    shape = grads.shape[1:]
    if isinstance(shape, tf.TensorShape):
        shape = tuple(shape.as_list())
    grads = tf.reshape(grads, (n_steps, nb_samples) + shape)
    sum_int = _sum_integral_terms(step_sizes, grads.numpy())
    return sum_int


def compute_attributions_list_input(model, X, baselines, target, n_steps=N_STEPS):
    nb_samples = len(X[0])
    attrs_dtypes = [xx.dtype for xx in X]
    # riemann_trapezoid
    step_sizes = [1.0 / (n_steps - 1)] * n_steps
    step_sizes[0] /= 2.0
    step_sizes[-1] /= 2.0
    alphas = list(np.linspace(0, 1, n_steps))

    paths = []
    for i in range(len(X)):
        x, baseline = X[i], baselines[i]
        path = np.concatenate([baseline + alphas[i] * (x - baseline) for i in range(n_steps)], axis=0)
        paths.append(path)
    target_paths = np.concatenate([target for _ in range(n_steps)], axis=0)
    ds_args = tuple(p for p in paths) + (target_paths,)
    paths_ds = tf.data.Dataset.from_tensor_slices(ds_args).batch(INTERNAL_BATCH_SIZE)

    batches = []
    for path in paths_ds:
        paths_b, target_b = path[:-1], path[-1]
        paths_b = [tf.dtypes.cast(paths_b[i], attrs_dtypes[i]) for i in range(len(paths_b))]
        grads_b = _gradients_input(model, paths_b, target_b)
        batches.append(grads_b)

    # multi-input
    batches = [[batches[i][j] for i in range(len(batches))] for j in range(len(attrs_dtypes))]
    print("gradient is None per input:", [batches[j][0] is None for j in range(len(attrs_dtypes))])

    attributions = []
    for j in range(len(attrs_dtypes)):
        sum_int = _calculate_sum_int(batches, model, target, target_paths, n_steps, nb_samples,
                                     step_sizes, j)
        norm = X[j] - baselines[j]
        attributions.append(norm * sum_int)
    return attributions


X = [np.random.rand(4, 6).astype("float32"), np.random.rand(4, 3).astype("float32"),
     np.eye(4, dtype="float32"), np.eye(7, dtype="float32")[:4]]
baselines = [np.zeros_like(x) for x in X]
target = np.argmax(model.predict(X, verbose=0), axis=1)
attrs = compute_attributions_list_input(model, X, baselines, target)
print([a.shape for a in attrs])
