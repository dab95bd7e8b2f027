"""Binary classifier trained with `model.fit` and the focal loss of focal-loss-keras
(`focal_loss(gamma, alpha)` returning `focal_loss_fixed(y_true, y_pred)`), which takes
`K.log(pt_1)` and `K.log(1. - pt_0)` of the sigmoid output without any epsilon. As soon as a
sigmoid saturates to exactly 1.0 in float32 for a negative example (large logits, here from
unscaled inputs), `K.log(1. - pt_0)` is log(0) = -inf, its derivative -1/(1-p) is -inf and
is multiplied by the sigmoid's derivative p(1-p) = 0: the gradient is NaN, the optimizer
writes NaN into every weight and the loss is nan from then on, without an error (the report:
"Nan problem for LOG"). Fix (merged later): `K.log(K.epsilon() + pt_1)` and
`K.log(1. - pt_0 + K.epsilon())`, or clip y_pred to [eps, 1 - eps].

---
source: https://github.com/mkocabas/focal-loss-keras/issues/17
framework: both
outcome: trains_silently
cause: nonfinite_gradient
line: 33
variables: [dense/kernel, dense/bias, dense_1/kernel, dense_1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Input
np.random.seed(0)
tf.random.set_seed(0)


def focal_loss(gamma=2., alpha=.25):
    def focal_loss_fixed(y_true, y_pred):
        pt_1 = tf.where(tf.equal(y_true, 1), y_pred, tf.ones_like(y_pred))
        pt_0 = tf.where(tf.equal(y_true, 0), y_pred, tf.zeros_like(y_pred))
        return -K.sum(alpha * K.pow(1. - pt_1, gamma) * K.log(pt_1)) - K.sum((1 - alpha) * K.pow(pt_0, gamma) * K.log(1. - pt_0))
    return focal_loss_fixed


model = Sequential([
    Input((10,)),
    Dense(16, activation='relu'),
    Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss=[focal_loss(alpha=.25, gamma=2)], metrics=['accuracy'])

x_train = (np.random.randn(128, 10) * 40.).astype('float32')
y_train = (np.random.rand(128, 1) > 0.5).astype('float32')
history = model.fit(x_train, y_train, batch_size=32, epochs=2, verbose=0)
print('loss per epoch:', history.history['loss'])
print('nan in weights:', any(np.isnan(w).any() for w in model.get_weights()))
