"""dl4mt-style NMT where the plain `gru_layer` is used as the decoder.
In the dl4mt tutorial code every layer is a pair of helpers (param_init_X /
X_layer) over a dict of shared parameters, and build_model computes the
encoder context, its mean, and `init_state = fflayer(ctx_mean, 'ff_state')`
which it passes to the decoder as `init_state=`. The simple `gru_layer`
swallowed that keyword in **kwargs and always started from zeros, so with
`decoder='gru'` nothing of the encoder reaches the cost: the embeddings of the
source, both encoder GRUs and ff_state get no gradient. The PR author noticed
"the decoder gru_layer doesn't take output from encoder as initialization of
the hidden state" and added an init_state argument. Ported from Theano to TF:
the parameters are tf.Variables, and the plain-SGD update helper fails on the
None gradients. Fix: give gru_layer an init_state argument and use it.
---
source: https://github.com/nyu-dl/dl4mt-tutorial/pull/65
framework: both
outcome: error
cause: unused_variable
static: false
line: [62, 55, 123]
also: [disconnected]
variables: [Wemb:, encoder_W, encoder_U, encoder_b, encoder_r_, ff_state_]
xfail: "init_state goes as a keyword into **kwargs of gru_layer, which never reads it, through a call picked at run time (get_layer(options['decoder'])[1](...)): gradtrace does not follow the value into that call and reports the 15 unused variables at the gradient call"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from collections import OrderedDict
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)


def norm_weight(nin, nout, scale=0.01):
    return scale * np.random.randn(nin, nout).astype("float32")


def param_init_fflayer(options, params, prefix="ff", nin=None, nout=None):
    params[prefix + "_W"] = norm_weight(nin, nout)
    params[prefix + "_b"] = np.zeros((nout,), "float32")
    return params


def fflayer(tparams, state_below, options, prefix="rconv", activ=tf.tanh, **kwargs):
    return activ(tf.matmul(state_below, tparams[prefix + "_W"]) + tparams[prefix + "_b"])


def param_init_gru(options, params, prefix="gru", nin=None, dim=None):
    params[prefix + "_W"] = np.concatenate([norm_weight(nin, dim), norm_weight(nin, dim)], 1)
    params[prefix + "_b"] = np.zeros((2 * dim,), "float32")
    params[prefix + "_U"] = np.concatenate([norm_weight(dim, dim), norm_weight(dim, dim)], 1)
    params[prefix + "_Wx"] = norm_weight(nin, dim)
    params[prefix + "_Ux"] = norm_weight(dim, dim)
    params[prefix + "_bx"] = np.zeros((dim,), "float32")
    return params


def gru_layer(tparams, state_below, options, prefix="gru", mask=None, **kwargs):
    nsteps, n_samples = state_below.shape[0], state_below.shape[1]
    dim = tparams[prefix + "_Ux"].shape[1]
    if mask is None:
        mask = tf.ones((nsteps, n_samples))
    state_below_ = tf.einsum("tbi,ij->tbj", state_below, tparams[prefix + "_W"]) + tparams[prefix + "_b"]
    state_belowx = tf.einsum("tbi,ij->tbj", state_below, tparams[prefix + "_Wx"]) + tparams[prefix + "_bx"]
    h = tf.zeros((n_samples, dim))
    hs = []
    for t in range(nsteps):
        m_ = mask[t][:, None]
        preact = tf.matmul(h, tparams[prefix + "_U"]) + state_below_[t]
        r = tf.sigmoid(preact[:, :dim])
        u = tf.sigmoid(preact[:, dim:])
        h_new = tf.tanh(tf.matmul(h, tparams[prefix + "_Ux"]) * r + state_belowx[t])
        h_new = u * h + (1. - u) * h_new
        h = m_ * h_new + (1. - m_) * h
        hs.append(h)
    return [tf.stack(hs)]


layers = {"ff": (param_init_fflayer, fflayer), "gru": (param_init_gru, gru_layer)}


def get_layer(name):
    return layers[name]


def init_params(options):
    params = OrderedDict()
    params["Wemb"] = norm_weight(options["n_words_src"], options["dim_word"])
    params["Wemb_dec"] = norm_weight(options["n_words"], options["dim_word"])
    params = get_layer(options["encoder"])[0](options, params, prefix="encoder",
                                              nin=options["dim_word"], dim=options["dim"])
    params = get_layer(options["encoder"])[0](options, params, prefix="encoder_r",
                                              nin=options["dim_word"], dim=options["dim"])
    ctxdim = 2 * options["dim"]
    params = get_layer("ff")[0](options, params, prefix="ff_state", nin=ctxdim, nout=options["dim"])
    params = get_layer(options["decoder"])[0](options, params, prefix="decoder",
                                              nin=options["dim_word"], dim=options["dim"])
    params = get_layer("ff")[0](options, params, prefix="ff_logit_lstm",
                                nin=options["dim"], nout=options["dim_word"])
    params = get_layer("ff")[0](options, params, prefix="ff_logit_prev",
                                nin=options["dim_word"], nout=options["dim_word"])
    params = get_layer("ff")[0](options, params, prefix="ff_logit",
                                nin=options["dim_word"], nout=options["n_words"])
    return params


def init_tparams(params):
    return OrderedDict((k, tf.Variable(v, name=k)) for k, v in params.items())


def build_model(tparams, options, x, x_mask, y, y_mask):
    n_timesteps, n_samples = x.shape
    emb = tf.gather(tparams["Wemb"], x)
    proj = get_layer(options["encoder"])[1](tparams, emb, options, prefix="encoder", mask=x_mask)
    embr = tf.gather(tparams["Wemb"], x[::-1])
    projr = get_layer(options["encoder"])[1](tparams, embr, options, prefix="encoder_r",
                                             mask=x_mask[::-1])
    ctx = tf.concat([proj[0], projr[0][::-1]], axis=-1)
    ctx_mean = tf.reduce_sum(ctx * x_mask[:, :, None], 0) / tf.reduce_sum(x_mask, 0)[:, None]
    init_state = get_layer("ff")[1](tparams, ctx_mean, options, prefix="ff_state", activ=tf.tanh)

    emb = tf.gather(tparams["Wemb_dec"], y)
    emb_shifted = tf.concat([tf.zeros_like(emb[:1]), emb[:-1]], 0)
    proj = get_layer(options["decoder"])[1](tparams, emb_shifted, options, prefix="decoder",
                                            mask=y_mask, context=ctx, context_mask=x_mask,
                                            one_step=False, init_state=init_state)
    proj_h = proj[0]
    logit_lstm = get_layer("ff")[1](tparams, proj_h, options, prefix="ff_logit_lstm", activ=tf.identity)
    logit_prev = get_layer("ff")[1](tparams, emb_shifted, options, prefix="ff_logit_prev", activ=tf.identity)
    logit = tf.tanh(logit_lstm + logit_prev)
    logit = get_layer("ff")[1](tparams, logit, options, prefix="ff_logit", activ=tf.identity)
    cost = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logit)
    cost = tf.reduce_sum(cost * y_mask, 0)
    return tf.reduce_mean(cost)


def sgd(lr, tparams, grads):
    for (k, p), g in zip(tparams.items(), grads):
        p.assign_sub(lr * g)


options = dict(n_words_src=30, n_words=30, dim_word=16, dim=16, encoder="gru", decoder="gru")
tparams = init_tparams(init_params(options))
x = tf.constant(np.random.randint(1, 30, size=(7, 4)))
y = tf.constant(np.random.randint(1, 30, size=(6, 4)))
x_mask = tf.ones((7, 4))
y_mask = tf.ones((6, 4))

with tf.GradientTape() as tape:
    cost = build_model(tparams, options, x, x_mask, y, y_mask)
grads = tape.gradient(cost, list(tparams.values()))
print("cost", float(cost))
print("params without gradient:", [k for k, g in zip(tparams, grads) if g is None])
sgd(0.1, tparams, grads)
