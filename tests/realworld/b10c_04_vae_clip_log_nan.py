"""A VAE on binarised images (ported from the repository's TF1 `vae.py` to a TF2
GradientTape loop, same encoder/decoder MLPs and same loss). The Bernoulli decoder
output is clipped with `tf.clip_by_value(y, 1e-8, 1 - 1e-8)` before
`x * log(y) + (1 - x) * log(1 - y)`. Users report: "Sometimes ... the loss for
epoch i is 100 and the loss for epoch i+1 is NaN". The maintainer's answer: it is
probably because `tf.log` got 0 as input; use
`tf.nn.sigmoid_cross_entropy_with_logits`. The hidden detail: in float32
`1 - 1e-8` rounds to exactly 1.0, so the upper clip does nothing; once a decoder
logit passes ~17 (pixels that are always on, here a white frame row), the sigmoid
is exactly 1.0, `log(1 - y)` is -inf, `0 * -inf` is NaN and the NaN gradient
destroys every weight. Fix: compute the reconstruction term from the logits
(`sigmoid_cross_entropy_with_logits`) or clip with an epsilon float32 can
represent (1e-7). (Shrunk: a large learning rate makes the decoder saturate
in the second step instead of after many epochs; with the 1e-7 clip the same
run stays finite.)
---
source: https://github.com/hwalsuklee/tensorflow-mnist-VAE/issues/4
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: [72, 73]
variables: [gaussian_MLP_encoder/, bernoulli_MLP_decoder/]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)

dim_img, n_hidden, dim_z, keep_prob = 64, 64, 2, 0.9
_seed = iter(range(100))


def w_init(shape):
    return tf.keras.initializers.VarianceScaling(seed=next(_seed))(shape)


def var(scope, name, shape, init):
    return tf.Variable(init(shape), name=scope + "/" + name)


enc = {n: var("gaussian_MLP_encoder", n, s, w_init if n[0] == "w" else tf.zeros)
       for n, s in [("w0", (dim_img, n_hidden)), ("b0", (n_hidden,)),
                    ("w1", (n_hidden, n_hidden)), ("b1", (n_hidden,)),
                    ("wo", (n_hidden, 2 * dim_z)), ("bo", (2 * dim_z,))]}
dec = {n: var("bernoulli_MLP_decoder", n, s, w_init if n[0] == "w" else tf.zeros)
       for n, s in [("w0", (dim_z, n_hidden)), ("b0", (n_hidden,)),
                    ("w1", (n_hidden, n_hidden)), ("b1", (n_hidden,)),
                    ("wo", (n_hidden, dim_img)), ("bo", (dim_img,))]}
params = list(enc.values()) + list(dec.values())


def gaussian_MLP_encoder(x):
    h0 = tf.nn.dropout(tf.nn.elu(x @ enc["w0"] + enc["b0"]), 1 - keep_prob)
    h1 = tf.nn.dropout(tf.nn.tanh(h0 @ enc["w1"] + enc["b1"]), 1 - keep_prob)
    gaussian_params = h1 @ enc["wo"] + enc["bo"]
    mean = gaussian_params[:, :dim_z]
    stddev = 1e-6 + tf.nn.softplus(gaussian_params[:, dim_z:])
    return mean, stddev


def bernoulli_MLP_decoder(z):
    h0 = tf.nn.dropout(tf.nn.tanh(z @ dec["w0"] + dec["b0"]), 1 - keep_prob)
    h1 = tf.nn.dropout(tf.nn.elu(h0 @ dec["w1"] + dec["b1"]), 1 - keep_prob)
    return tf.sigmoid(h1 @ dec["wo"] + dec["bo"])


def autoencoder(x_hat, x):
    mu, sigma = gaussian_MLP_encoder(x_hat)
    z = mu + sigma * tf.random.normal(tf.shape(mu), 0, 1, dtype=tf.float32)
    y = bernoulli_MLP_decoder(z)
    y = tf.clip_by_value(y, 1e-8, 1 - 1e-8)
    marginal_likelihood = tf.reduce_sum(x * tf.math.log(y) + (1 - x) * tf.math.log(1 - y), 1)
    KL_divergence = 0.5 * tf.reduce_sum(tf.square(mu) + tf.square(sigma)
                                        - tf.math.log(1e-8 + tf.square(sigma)) - 1, 1)
    ELBO = tf.reduce_mean(marginal_likelihood) - tf.reduce_mean(KL_divergence)
    return -ELBO


# binarised 8x8 "images" with an always-white top row
train_x = (np.random.rand(512, dim_img) > 0.5).astype("float32")
train_x[:, :8] = 1.0
optimizer = tf.keras.optimizers.Adam(learning_rate=0.2)

for epoch in range(3):
    for i in range(0, len(train_x), 32):
        batch = train_x[i:i + 32]
        with tf.GradientTape() as tape:
            loss = autoencoder(batch, batch)
        grads = tape.gradient(loss, params)
        optimizer.apply_gradients(zip(grads, params))
    print("epoch", epoch, "loss", float(loss),
          "NaN grads:", sum(bool(tf.reduce_any(tf.math.is_nan(g))) for g in grads))
