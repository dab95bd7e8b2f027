"""3D encoder-decoder in Keras where the upsampling step needs a Conv3DTranspose: the user wraps
the TensorFlow functional layer `tensorflow.layers.conv3d_transpose(...)` in a `Lambda` inside
`tblock`, then adds the skip connection. The function builds a new transposed-convolution
layer (with its own kernel) each time the Lambda runs, and a Lambda layer tracks no variable
created by its function: the summary of the report shows the Lambda with 0 parameters, and the
kernel is not among the model's trainable weights, so it can never be trained. TF 2 tf-keras
no longer lets this pass: building the model fails with "The following Variables were created
within a Lambda layer ... but are not tracked by said layer". Fix: use the Keras layer
`Conv3DTranspose(F, 3, strides=2, padding='same', activation='relu', use_bias=False)` directly
instead of the Lambda.

---
source: https://github.com/keras-team/keras/issues/7078
framework: keras2
outcome: error
cause: untracked_variable
line: 32
variables: [conv3d_transpose/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow
import tensorflow as tf
from tensorflow.keras.layers import Input, Conv3D, Lambda, Add
from tensorflow.keras.models import Model
np.random.seed(0)
tf.random.set_seed(0)


class Net(object):
    def tblock(self, sinput, skip, F=32):
        u1 = Lambda(lambda x: tensorflow.compat.v1.layers.conv3d_transpose(x, kernel_size=3,
                              padding='SAME', strides=(2, 2, 2),
                              filters=F, activation=tensorflow.nn.relu,
                              use_bias=False))(sinput)
        out = Add()([skip, u1])
        return out

    def build(self):
        inp = Input((8, 8, 8, 2))
        c1 = Conv3D(4, 3, padding='same', activation='relu')(inp)
        c2 = Conv3D(8, 3, strides=2, padding='same', activation='relu')(c1)
        up = self.tblock(c2, c1, F=4)
        out = Conv3D(1, 1, activation='sigmoid')(up)
        return Model(inp, out)


model = Net().build()
model.summary()
model.compile(optimizer='adam', loss='binary_crossentropy')
x = np.random.rand(8, 8, 8, 8, 2).astype('float32')
y = (np.random.rand(8, 8, 8, 8, 1) > 0.5).astype('float32')
model.fit(x, y, batch_size=4, epochs=1, verbose=0)
print('trained')
