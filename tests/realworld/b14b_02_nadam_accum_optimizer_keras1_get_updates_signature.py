"""Person re-ID siamese CNN (CVPR 2015 "improved deep learning architecture") trained
with the `NadamAccum` optimizer from the kfs package: a Nadam that accumulates
gradients over `accum_iters` batches. The optimizer subclass was written for Keras 1,
where the method was `get_updates(self, params, constraints, loss)`. Keras 2's
training code calls `optimizer.get_updates(loss=..., params=...)`, so the variables and
the loss are bound to the wrong parameters and `model.fit` dies with
"TypeError: get_updates() missing 1 required positional argument: 'constraints'"
before any gradient is computed. The fix posted in the thread rewrites the signature in
the Keras 2 order, `def get_updates(self, loss, params):`, and gets the gradients with
`self.get_gradients(loss, params)`.
---
source: https://github.com/Ning-Ding/Implementation-CVPR2015-CNN-for-ReID/issues/33
framework: keras2
outcome: error
cause: wrong_sources
static: false
line: 52
variables: [reid_conv1/kernel, reid_conv1/bias, reid_fc/kernel, reid_fc/bias, reid_out/kernel, reid_out/bias]
xfail: "the custom optimizer's Keras 1 `get_updates(self, params, constraints, loss)` signature fails with a TypeError inside fit, before any gradient: gradtrace does not read that TypeError yet"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.python.framework.ops import disable_eager_execution
disable_eager_execution()      # get_updates is only used by the graph-mode (v1) training loop
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Input, Conv2D, Flatten, Dense, Subtract, Lambda
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers.legacy import Optimizer


class NadamAccum(Optimizer):
    """Nesterov Adam with gradient accumulation (kfs/optimizers.py, Keras 1 version)."""

    def __init__(self, lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 schedule_decay=0.004, accum_iters=2, name="NadamAccum", **kwargs):
        super().__init__(name, **kwargs)
        with K.name_scope(self.__class__.__name__):
            self.iterations_acc = K.variable(0., name='iterations_acc')
            self.m_schedule = K.variable(1., name='m_schedule')
            self.lr_t = K.variable(lr, name='lr')
            self.beta_1 = K.variable(beta_1, name='beta_1')
            self.beta_2 = K.variable(beta_2, name='beta_2')
        self.epsilon = epsilon
        self.schedule_decay = schedule_decay
        self.accum_iters = K.variable(accum_iters)

    def get_config(self):
        return {"accum_iters": int(K.get_value(self.accum_iters))}

    def get_updates(self, params, constraints, loss):
        grads = self.get_gradients(loss, params)
        self.updates = [K.update_add(self.iterations_acc, 1)]

        t = (self.iterations_acc + 1.) / self.accum_iters
        accum_switch = K.cast(K.equal((self.iterations_acc + 1.) % self.accum_iters, 0),
                              dtype=K.floatx())
        momentum_cache_t = self.beta_1 * (1. - 0.5 * (K.pow(0.96, t * self.schedule_decay)))
        momentum_cache_t_1 = self.beta_1 * (1. - 0.5 * (K.pow(0.96, (t + 1) * self.schedule_decay)))
        m_schedule_new = self.m_schedule * momentum_cache_t
        m_schedule_next = self.m_schedule * momentum_cache_t * momentum_cache_t_1
        self.updates.append(K.update(self.m_schedule, accum_switch * m_schedule_new
                                     + (1. - accum_switch) * self.m_schedule))

        shapes = [K.int_shape(p) for p in params]
        ms = [K.zeros(shape) for shape in shapes]
        vs = [K.zeros(shape) for shape in shapes]
        gs = [K.zeros(shape) for shape in shapes]

        for p, gp, m, v, ga in zip(params, grads, ms, vs, gs):
            g = (ga + gp) / self.accum_iters
            g_prime = g / (1. - m_schedule_new)
            m_t = self.beta_1 * m + (1. - self.beta_1) * g
            m_t_prime = m_t / (1. - m_schedule_next)
            v_t = self.beta_2 * v + (1. - self.beta_2) * K.square(g)
            v_t_prime = v_t / (1. - K.pow(self.beta_2, t))
            m_t_bar = (1. - momentum_cache_t) * g_prime + momentum_cache_t_1 * m_t_prime

            self.updates.append(K.update(m, (1 - accum_switch) * m + accum_switch * m_t))
            self.updates.append(K.update(v, (1 - accum_switch) * v + accum_switch * v_t))
            self.updates.append(K.update(ga, (1 - accum_switch) * (ga + gp)))
            new_p = p - self.lr_t * m_t_bar / (K.sqrt(v_t_prime) + self.epsilon)
            self.updates.append(K.update(p, (1 - accum_switch) * p + accum_switch * new_p))
        return self.updates


def generate_model(input_shape=(16, 8, 3)):
    """Shared-weight siamese trunk, cross-input difference, same/different head."""
    conv = Conv2D(8, 3, activation='relu', name='reid_conv1')
    flat = Flatten(name='reid_flat')
    a_in, b_in = Input(input_shape), Input(input_shape)
    fa, fb = flat(conv(a_in)), flat(conv(b_in))
    diff = Lambda(lambda t: K.abs(t), name='reid_absdiff')(Subtract()([fa, fb]))
    x = Dense(16, activation='relu', name='reid_fc')(diff)
    out = Dense(2, activation='softmax', name='reid_out')(x)
    return Model([a_in, b_in], out)


if __name__ == '__main__':
    model = generate_model()
    model.compile(optimizer=NadamAccum(accum_iters=2), loss='categorical_crossentropy')
    rng = np.random.RandomState(0)
    xa = rng.rand(32, 16, 8, 3).astype('float32')
    xb = rng.rand(32, 16, 8, 3).astype('float32')
    y = np.eye(2, dtype='float32')[rng.randint(0, 2, 32)]
    w0 = model.get_layer('reid_fc').get_weights()[0].copy()
    model.fit([xa, xb], y, batch_size=8, epochs=2, verbose=2)   # TypeError escapes here
    print("reid_fc kernel change:", np.abs(model.get_layer('reid_fc').get_weights()[0] - w0).max())
