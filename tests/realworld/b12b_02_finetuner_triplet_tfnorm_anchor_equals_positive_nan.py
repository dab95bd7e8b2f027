"""jina-ai/finetuner before PR #34 ("fix(keras): fix nan problem in keras"): `KerasTrainer.fit`
wraps the user's embedding model with a `TripletLayer` head whose loss output is
`relu(tf.norm(anchor - positive) - tf.norm(anchor - negative) + margin)`, and trains it in a plain
`tf.GradientTape` loop with RMSprop. Triplets come from `fashion_match_doc_generator`, which draws
each document's positives from a copy of its own class, so sometimes the positive *is* the anchor.
The Keras trainer produced NaN losses (fixed by PR #34 for Keras only). The fix
(PR #34) replaced `tf.norm` by the squared distance, citing tensorflow#12071: the gradient of
`tf.norm` at a zero vector is x/||x|| = 0/0 = NaN whenever the relu is active for that triplet
(here classes look alike, so distances are below the margin), and one such triplet makes the whole
update NaN: two steps train, the third writes NaN into every weight.
---
source: https://github.com/jina-ai/finetuner/pull/34
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: [58, 59]
variables: [embed_hidden/kernel, embed_hidden/bias, embed_out/kernel, embed_out/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import copy
import itertools
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import Model
from tensorflow.keras.layers import Layer
tf.keras.utils.set_random_seed(0)


# trainer/base.py
class BaseHead:
    arity: int

    def __init__(self, arity_model=None):
        super().__init__()
        self._arity_model = arity_model

    def forward(self, *inputs):
        if self._arity_model:
            inputs = self._arity_model(*inputs)
        return self.get_output_for_loss(*inputs), self.get_output_for_metric(*inputs)


# trainer/keras/head_layers.py
class HeadLayer(BaseHead, Layer):
    def call(self, *args, **kwargs):
        return self.forward(*args)


class TripletLayer(HeadLayer):
    arity = 3

    def __init__(self, margin: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self._margin = margin

    def get_output_for_loss(self, anchor, positive, negative):
        dist_pos = tf.norm(anchor - positive, ord='euclidean', axis=-1)
        dist_neg = tf.norm(anchor - negative, ord='euclidean', axis=-1)
        return tf.nn.relu(dist_pos - dist_neg + self._margin)

    def get_output_for_metric(self, anchor, positive, negative):
        normalize_a = tf.nn.l2_normalize(anchor, axis=-1)
        normalize_p = tf.nn.l2_normalize(positive, axis=-1)
        normalize_n = tf.nn.l2_normalize(negative, axis=-1)
        a_p_cos = tf.reduce_sum(tf.multiply(normalize_a, normalize_p), axis=-1)
        a_n_cos = tf.reduce_sum(tf.multiply(normalize_a, normalize_n), axis=-1)
        return a_p_cos, a_n_cos

    def loss_fn(self, pred_val, target_val):
        return tf.keras.losses.mse(target_val, pred_val)

    def metric_fn(self, pred_val, target_val):
        y_positive, y_negative = pred_val
        s_p = tf.math.count_nonzero(tf.greater(y_positive, 0))
        s_n = tf.math.count_nonzero(tf.less(y_negative, 0))
        return (s_p + s_n) / (len(y_positive) + len(y_negative))


# trainer/dataset.py
class TripletMixin:
    def __iter__(self):
        for d in self._inputs:
            anchor = d.blob
            positives, negatives = [], []
            for m in d.matches:
                if m.tags['trainer']['label'] > 0:
                    positives.append(m.blob)
                else:
                    negatives.append(m.blob)
            for p, n in itertools.product(positives, negatives):
                yield (anchor, p, n), np.float32(0)


class TripletDataset(TripletMixin):
    def __init__(self, inputs):
        self._inputs = inputs() if callable(inputs) else inputs


# tests/data_generator.py, without jina: random "fashion" images, 10 classes
class Document:
    def __init__(self, blob, cls):
        self.blob, self.tags, self.matches = blob, {'class': cls}, []


def fashion_doc_generator(n_per_class=150):
    rng = np.random.default_rng(0)
    common = rng.random((28, 28))
    protos = common + 0.01 * rng.standard_normal((10, 28, 28))  # look-alike classes (shirt, T-shirt, ...)
    for c in range(10):
        for _ in range(n_per_class):
            yield Document(np.clip(protos[c] + 0.01 * rng.standard_normal((28, 28)), 0, 1).astype('float32'), c)


def fashion_match_doc_generator(num_total=60000, num_pos=10, num_neg=10, pos_value=1, neg_value=-1):
    all_docs = list(fashion_doc_generator())
    copy_all_docs = copy.deepcopy(all_docs)
    rv = {c: [d for d in copy_all_docs if d.tags['class'] == c] for c in range(10)}
    rng = np.random.default_rng(1)
    order = rng.permutation(len(all_docs))
    for n_d, i in enumerate(order):
        od = all_docs[i]
        pos_label = od.tags['class']
        pos_samples = [copy.copy(rv[pos_label][j]) for j in rng.choice(len(rv[pos_label]), num_pos, replace=False)]
        for d in pos_samples:
            d.tags = {'class': pos_label, 'trainer': {'label': pos_value}}
        others = [d for d in copy_all_docs if d.tags['class'] != pos_label]
        neg_samples = [copy.copy(others[j]) for j in rng.choice(len(others), num_neg, replace=False)]
        for d in neg_samples:
            d.tags = {'class': d.tags['class'], 'trainer': {'label': neg_value}}
        od.matches.extend(pos_samples)
        od.matches.extend(neg_samples)
        yield od
        if n_d + 1 >= num_total:
            break


# trainer/keras/__init__.py
class KerasTrainer:
    arity = 3

    def __init__(self, base_model, head_layer='TripletLayer'):
        self.base_model = base_model
        self._head_layer = head_layer

    @property
    def head_layer(self):
        return {'TripletLayer': TripletLayer}[self._head_layer]

    @property
    def wrapped_model(self) -> Model:
        input_shape = self.base_model.input_shape[1:]
        input_values = [keras.Input(shape=input_shape) for _ in range(self.arity)]
        head_layer = self.head_layer()
        head_values = head_layer(*(self.base_model(v) for v in input_values))
        return Model(inputs=input_values, outputs=head_values)

    def _get_data_loader(self, inputs, batch_size=256, shuffle=False):
        input_shape = self.base_model.input_shape[1:]
        tf_data = tf.data.Dataset.from_generator(
            lambda: TripletDataset(inputs),
            output_signature=(
                tuple(tf.TensorSpec(shape=input_shape, dtype=tf.float32) for _ in range(self.arity)),
                tf.TensorSpec(shape=(), dtype=tf.float32),
            ),
        )
        if shuffle:
            tf_data = tf_data.shuffle(buffer_size=4096)
        return tf_data.batch(batch_size, drop_remainder=True)

    def fit(self, train_data, batch_size=256, epochs=10, **kwargs):
        model = self.wrapped_model
        head_layer = self.head_layer()
        data_loader = self._get_data_loader(inputs=train_data, batch_size=batch_size)
        optimizer = tf.keras.optimizers.RMSprop(learning_rate=0.01)
        step = 0
        for epoch in range(epochs):
            losses, metrics = [], []
            for inputs, label in data_loader:
                with tf.GradientTape() as tape:
                    outputs = model(inputs, training=True)
                    loss = head_layer.loss_fn(pred_val=outputs[0], target_val=label)
                    metric = head_layer.metric_fn(pred_val=outputs[1], target_val=label)
                grads = tape.gradient(loss, model.trainable_weights)
                optimizer.apply_gradients(zip(grads, model.trainable_weights))
                step += 1
                losses.append(loss.numpy().mean())
                metrics.append(metric.numpy())
                nan_grads = [getattr(v, 'path', v.name) for v, g in zip(model.trainable_weights, grads) if np.isnan(g.numpy()).any()]
                if nan_grads:
                    print(f"step {step}: NaN gradients for {nan_grads}; loss now {losses[-1]:.4f}")
                    print("kernel has NaN after update:", bool(np.isnan(model.trainable_weights[0].numpy()).any()))
                    return
            print(f'Epoch {epoch + 1}/{epochs} Loss={sum(losses) / len(losses):.4f} '
                  f'Accuracy={sum(metrics) / len(metrics):.2f}')


user_model = tf.keras.Sequential([
    tf.keras.Input(shape=(28, 28)),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(32, activation='relu', name='embed_hidden'),
    tf.keras.layers.Dense(16, activity_regularizer=tf.keras.regularizers.l1(0.01), name='embed_out'),
])
kt = KerasTrainer(user_model, head_layer='TripletLayer')
kt.fit(lambda: fashion_match_doc_generator(num_total=100), epochs=3, batch_size=256)
