"""A user trained the PrognosAIs PSNET_3D model (a 3D U-Net whose encoder/
decoder global-pool features feed three genetic-marker heads, IDH, 1p19q and
Grade, plus a segmentation head MASK) and got "Gradients do not exist for
variables ['sync_batch_normalization_8/gamma', '.../beta', 'conv3d_21/kernel',
'conv3d_21/bias']" on every step. Those four variables are exactly the last
decoder normalisation and the 1x1 Conv3D that only feed the MASK output; all
the other heads read the pooled features taken before that norm. Running the
shrunk model shows the warning appears precisely when MASK has no loss (the
user trained the classification targets only), so the mask branch is unused
by the loss. Fix: give MASK its loss (DICE in the original config) or build
the model without the mask head.
---
source: https://github.com/Svdvoort/PrognosAIs_glioma/issues/7
framework: both
also: [disconnected]
outcome: warning
cause: unused_variable
static: false
line: 84
variables: [sync_batch_normalization_8/gamma, sync_batch_normalization_8/beta, conv3d_21/kernel, conv3d_21/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
from tensorflow.keras import Model, Input
from tensorflow.keras.layers import (Concatenate, BatchNormalization, Conv3D, Conv3DTranspose,
                                     Dense, Activation, GlobalMaxPool3D, SpatialDropout3D, Dropout)

N_FILTERS, FINAL_DENSE = 4, 16
_bn = [0]


def make_norm_layer(layer):
    name = "sync_batch_normalization_%d" % _bn[0]
    _bn[0] += 1
    return BatchNormalization(synchronized=True, name=name)(layer)


def get_conv_block(head, filters):
    return Conv3D(filters, 3, padding="same", activation="relu")(head)


def create_model():
    inputs = Input(shape=(8, 8, 8, 1), name="MRI")
    head = inputs
    skip_layers, gap_layers = [], []
    head = get_conv_block(head, N_FILTERS)
    head = SpatialDropout3D(0.25)(head)
    gap_layers.append(GlobalMaxPool3D()(head))
    skip_layers.append(head)
    head = Conv3D(N_FILTERS, 3, strides=2, padding="same", activation="relu")(head)
    head = make_norm_layer(head)

    head = get_conv_block(head, N_FILTERS * 2)
    head = get_conv_block(head, N_FILTERS * 2)
    head = SpatialDropout3D(0.25)(head)
    gap_layers.append(GlobalMaxPool3D()(head))
    head = make_norm_layer(head)

    head = Conv3DTranspose(N_FILTERS, 3, strides=2, padding="same", activation="relu")(head)
    head = Concatenate()([skip_layers[0], head])
    head = get_conv_block(head, N_FILTERS)
    head = get_conv_block(head, N_FILTERS)
    head = SpatialDropout3D(0.25)(head)
    gap_layers.append(GlobalMaxPool3D()(head))   # upsample_features=True, gap_after_dropout=True
    _bn[0] = 8
    head = make_norm_layer(head)                 # only feeds the MASK head

    head = Conv3D(filters=2, kernel_size=1, padding="same", name="conv3d_21")(head)
    out_mask = Activation("softmax", dtype="float32", name="MASK")(head)

    genetic_features = Dropout(0.25)(Concatenate()(gap_layers))
    outs = []
    for name, n in (("IDH", 2), ("1p19q", 2), ("Grade", 3)):
        branch = Dense(FINAL_DENSE, activation="relu")(genetic_features)
        branch = Dense(n)(branch)
        outs.append(Activation("softmax", dtype="float32", name=name)(branch))
    return Model(inputs=inputs, outputs=outs + [out_mask])


model = create_model()
losses = {"IDH": "categorical_crossentropy", "1p19q": "categorical_crossentropy",
          "Grade": "categorical_crossentropy", "MASK": None}
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss=losses,
              loss_weights={"IDH": 2.26, "1p19q": 3.38, "Grade": 1.33, "MASK": 1.0})

n = 8
x = np.random.rand(n, 8, 8, 8, 1).astype("float32")
y = {"IDH": np.eye(2)[np.random.randint(0, 2, n)], "1p19q": np.eye(2)[np.random.randint(0, 2, n)],
     "Grade": np.eye(3)[np.random.randint(0, 3, n)],
     "MASK": np.eye(2)[np.random.randint(0, 2, (n, 8, 8, 8))]}
before = model.get_layer("conv3d_21").get_weights()[0].copy()
model.fit(x, y, batch_size=4, epochs=1, verbose=0)
print("MASK conv changed:", not np.allclose(before, model.get_layer("conv3d_21").get_weights()[0]))
