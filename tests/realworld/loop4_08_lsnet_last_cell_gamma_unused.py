"""L+S-Net for dynamic MRI: an unrolled network whose LSCell layers each hold a learned
data-consistency step size `gamma`. The authors create gamma only for the non-final
cells (`if not is_last:`), because the final cell skips the learned step and uses
gamma = 1. A user removed that guard so that every cell creates
`self.gamma = tf.Variable(..., name='gamma')`, but call() still reads it only under
`if not self.is_last:`. The last cell's gamma is tracked as a trainable weight yet never
enters the forward pass, so every step warns "Gradients do not exist for variables
['LplusS_Net/gamma:0']" while all other weights train. Fix: create gamma only when it
is used (restore the guard), or use it in the last cell too.
---
source: https://github.com/wenqihuang/LS-Net-Dynamic-MRI/issues/9
framework: keras2
outcome: warning
cause: unused_variable
static: false
line: [107, 99]
variables: [gamma]
"""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

tf.random.set_seed(0)
np.random.seed(0)


class Emat_xyt:
    """Undersampled 2D Fourier operator (single coil), as in tools.tools."""

    def __init__(self, mask):
        self.mask = tf.cast(mask, tf.complex64)

    def mtimes(self, b, inv, csm=None):
        if inv:
            return tf.signal.ifft2d(b * self.mask)
        return tf.signal.fft2d(b) * self.mask


class CNNLayer(tf.keras.layers.Layer):
    def __init__(self, n_f=4):
        super(CNNLayer, self).__init__()
        self.mylayers = []
        self.mylayers.append(tf.keras.layers.Conv3D(n_f, 3, strides=1, padding='same', use_bias=False))
        self.mylayers.append(tf.keras.layers.LeakyReLU())
        self.mylayers.append(tf.keras.layers.Conv3D(2, 3, strides=1, padding='same', use_bias=False))
        self.seq = tf.keras.Sequential(self.mylayers)

    def call(self, input):
        if len(input.shape) == 4:
            input2c = tf.stack([tf.math.real(input), tf.math.imag(input)], axis=-1)
        else:
            input2c = tf.concat([tf.math.real(input), tf.math.imag(input)], axis=-1)
        res = self.seq(input2c)
        res = tf.complex(res[:, :, :, :, 0], res[:, :, :, :, 1])
        return res


class LplusS_Net(tf.keras.Model):
    def __init__(self, mask, niter, learnedSVT=False):
        super(LplusS_Net, self).__init__(name='LplusS_Net')
        self.niter = niter
        self.E = Emat_xyt(mask)
        self.learnedSVT = learnedSVT
        self.celllist = []

    def build(self, input_shape):
        for i in range(self.niter - 1):
            self.celllist.append(LSCell_learned_step(input_shape, self.E, is_last=False, learnedSVT=self.learnedSVT))
        self.celllist.append(LSCell_learned_step(input_shape, self.E, is_last=True, learnedSVT=self.learnedSVT))

    def call(self, d, csm=None):
        nb, nt, nx, ny = d.shape
        Lpre = tf.reshape(self.E.mtimes(d, inv=True, csm=csm), [nb, nt, nx * ny])
        Spre = tf.zeros_like(Lpre)
        Mpre = Lpre
        data = [Lpre, Spre, Mpre, d, csm]
        for i in range(self.niter):
            data = self.celllist[i](data, d.shape)
        L, S, M, _, _ = data
        M = tf.reshape(M, [nb, nt, nx, ny])
        L = tf.reshape(L, [nb, nt, nx, ny])
        S = tf.reshape(S, [nb, nt, nx, ny])
        return L, S, M


class LSCell_learned_step(layers.Layer):
    def __init__(self, input_shape, E, is_last, learnedSVT=False):
        super(LSCell_learned_step, self).__init__()
        self.nb, self.nt, self.nx, self.ny = input_shape
        self.E = E
        self.learnedSVT = learnedSVT
        if self.learnedSVT:
            self.thres_coef = tf.Variable(tf.constant(-2, dtype=tf.float32), trainable=True)
        self.sconv = CNNLayer(n_f=4)
        self.is_last = is_last
        self.gamma = tf.Variable(tf.constant(1, dtype=tf.float32), trainable=True, name='gamma')

    def call(self, data, input_shape):
        self.nb, self.nt, self.nx, self.ny = input_shape
        Lpre, Spre, Mpre, d, csm = data
        L = self.lowrank(Mpre)
        S = self.sparse(Mpre, L)
        dc = self.dataconsis(L + S, d, csm)
        if not self.is_last:
            gamma = tf.cast(tf.nn.relu(self.gamma), tf.complex64)
        else:
            gamma = tf.cast(1.0, tf.complex64)
        M = L + S - gamma * dc
        data[0] = L
        data[1] = S
        data[2] = M
        return data

    def lowrank(self, L):
        St, Ut, Vt = tf.linalg.svd(L)
        top1_mask = np.concatenate([np.ones([self.nb, 1], dtype=np.float32),
                                    np.zeros([self.nb, self.nt - 1], dtype=np.float32)], 1)
        St = St * tf.constant(top1_mask)
        St = tf.linalg.diag(St)
        St = tf.dtypes.cast(St, tf.complex64)
        Vt_conj = tf.math.conj(tf.transpose(Vt, perm=[0, 2, 1]))
        US = tf.linalg.matmul(Ut, St)
        return tf.linalg.matmul(US, Vt_conj)

    def sparse(self, Mpre, L):
        M_L = tf.stack([tf.reshape(L, [self.nb, self.nt, self.nx, self.ny]),
                        tf.reshape(Mpre, [self.nb, self.nt, self.nx, self.ny])], axis=-1)
        S = self.sconv(M_L)
        return tf.reshape(S, [self.nb, self.nt, self.nx * self.ny])

    def dataconsis(self, LS, d, csm):
        resk = self.E.mtimes(tf.reshape(LS, [self.nb, self.nt, self.nx, self.ny]), inv=False, csm=csm) - d
        return tf.reshape(self.E.mtimes(resk, inv=True, csm=csm), [self.nb, self.nt, self.nx * self.ny])


nb, nt, nx, ny = 1, 4, 8, 8
mask = (np.random.rand(nb, nt, nx, ny) > 0.5).astype(np.float32)
label = tf.complex(tf.random.normal([nb, nt, nx, ny]), tf.random.normal([nb, nt, nx, ny]))
k0 = tf.signal.fft2d(label) * tf.cast(mask, tf.complex64)
net = LplusS_Net(mask, niter=3)
optimizer = tf.optimizers.Adam(1e-3)

for step in range(2):
    with tf.GradientTape() as tape:
        L_recon, S_recon, recon = net(k0)
        loss = tf.reduce_mean(tf.abs(recon - label) ** 2)
    grads = tape.gradient(loss, net.trainable_weights)
    optimizer.apply_gradients(zip(grads, net.trainable_weights))
    print("step", step, "loss", round(float(loss), 4))
