"""Knee-MRI segmentation with a small 3D V-Net (VNet_Small_Relative). In call() the
decoder computes `u3 = self.up_3(x3)` and `u3 = self.up_conv2(u3)`, but the next stage
is written `u2 = self.up_2(x2)`: it upsamples the encoder tensor x2 instead of u3. u3 is
computed and then dropped, so the deepest encoder block c3, the up-convolution cu3 and
the decoder block upc2 never reach the output, and every training step warns "Gradients
do not exist for variables ['vnet_small_relative/c3/...', '.../cu3/...', '.../upc2/...']"
while the rest of the network trains. Fix: `u2 = self.up_2(u3)`.
---
source: https://github.com/3D-MRI-Tissue-Segmentation/knee-segmentation/issues/43
framework: both
outcome: warning
cause: unused_variable
static: false
line: [125, 127]
variables: [conv3d_4, batch_normalization_4, cu3, conv3d_7, batch_normalization_7, conv3d_8, batch_normalization_8]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tensorflow.keras.layers as tfkl

tf.random.set_seed(0)
np.random.seed(0)


class Conv3D_Block(tf.keras.Sequential):

    def __init__(self, num_channels, num_conv_layers=2, kernel_size=(3, 3, 3),
                 nonlinearity='relu', use_batchnorm=True, use_dropout=True,
                 dropout_rate=0.25, use_spatial_dropout=True,
                 data_format='channels_last', **kwargs):
        super(Conv3D_Block, self).__init__(**kwargs)
        self.num_conv_layers = num_conv_layers
        self.use_batchnorm = use_batchnorm
        self.use_dropout = use_dropout
        self.use_spatial_dropout = use_spatial_dropout
        for _ in range(self.num_conv_layers):
            self.add(tfkl.Conv3D(num_channels, kernel_size, padding='same',
                                 data_format=data_format))
            if self.use_batchnorm:
                self.add(tfkl.BatchNormalization(axis=-1, momentum=0.95, epsilon=0.001))
            self.add(tfkl.Activation(nonlinearity))
        if self.use_dropout:
            if self.use_spatial_dropout:
                self.add(tfkl.SpatialDropout3D(rate=dropout_rate))
            else:
                self.add(tfkl.Dropout(rate=dropout_rate))

    def call(self, inputs, training=False):
        outputs = super(Conv3D_Block, self).call(inputs, training=training)
        return outputs


class Up_Conv3D(tf.keras.Model):

    def __init__(self, num_channels, kernel_size=(2, 2, 2), nonlinearity='relu',
                 use_batchnorm=False, use_transpose=False, strides=(2, 2, 2),
                 upsample_size=(2, 2, 2), data_format='channels_last', **kwargs):
        super(Up_Conv3D, self).__init__(**kwargs)
        self.use_batchnorm = use_batchnorm
        self.upsample = tf.keras.layers.UpSampling3D(size=upsample_size)
        self.conv = tf.keras.layers.Conv3D(num_channels, kernel_size, padding='same',
                                           data_format=data_format)
        self.batch_norm = tf.keras.layers.BatchNormalization(axis=-1)
        self.activation = tf.keras.layers.Activation(nonlinearity)
        self.use_transpose = use_transpose
        self.conv_transpose = tf.keras.layers.Conv3DTranspose(
            num_channels, kernel_size, padding='same', strides=strides, data_format=data_format)

    def call(self, inputs, training=False):
        x = inputs
        if self.use_transpose:
            x = self.conv_transpose(x)
        else:
            x = self.upsample(x)
            x = self.conv(x)
        if self.use_batchnorm:
            if training:
                x = self.batch_norm(x)
        outputs = self.activation(x)
        return outputs


class VNet_Small_Relative(tf.keras.Model):

    def __init__(self, num_channels, num_classes, num_conv_layers=2, kernel_size=(3, 3, 3),
                 nonlinearity='relu', use_batchnorm=True, dropout_rate=0.25,
                 use_spatial_dropout=True, data_format='channels_last',
                 merge_connections=False, name="vnet_small_relative"):
        super(VNet_Small_Relative, self).__init__(name=name)
        self.merge_connections = merge_connections
        self.conv_1 = Conv3D_Block(num_channels, num_conv_layers, kernel_size, nonlinearity,
                                   use_batchnorm=use_batchnorm, data_format=data_format, name="c1")
        self.conv_2 = Conv3D_Block(num_channels * 2, num_conv_layers, kernel_size, nonlinearity,
                                   use_batchnorm=use_batchnorm, data_format=data_format, name="c2")
        self.conv_3 = Conv3D_Block(num_channels * 4, 1, kernel_size, nonlinearity,
                                   use_batchnorm=use_batchnorm, data_format=data_format, name="c3")
        self.up_3 = Up_Conv3D(num_channels * 2, (2, 2, 2), nonlinearity,
                              use_batchnorm=use_batchnorm, data_format=data_format, name="cu3")
        self.up_2 = Up_Conv3D(num_channels, (2, 2, 2), nonlinearity,
                              use_batchnorm=use_batchnorm, data_format=data_format, name="cu2")
        self.up_conv2 = Conv3D_Block(num_channels * 2, num_conv_layers, kernel_size, nonlinearity,
                                     use_batchnorm=use_batchnorm, data_format=data_format, name="upc2")
        self.up_conv1 = Conv3D_Block(num_channels, num_conv_layers, kernel_size, nonlinearity,
                                     use_batchnorm=use_batchnorm, data_format=data_format, name="upc1")
        self.conv_output = tf.keras.layers.Conv3D(2, kernel_size, activation=nonlinearity,
                                                  padding='same', data_format=data_format)
        self.conv_1x1 = tf.keras.layers.Conv3D(num_classes, kernel_size, padding='same',
                                               data_format=data_format)

    def call(self, inputs, training=True):
        image_inputs, pos_inputs = inputs
        # 1->64
        x1 = self.conv_1(image_inputs)
        # 64->128
        x2 = tf.keras.layers.MaxPooling3D(pool_size=(2, 2, 2))(x1)
        x2 = self.conv_2(x2)
        # 128->256
        x3 = tf.keras.layers.MaxPooling3D(pool_size=(2, 2, 2))(x2)
        x3 = self.conv_3(x3)
        # 256->128
        u3 = self.up_3(x3)
        if self.merge_connections:
            u3 = tf.keras.layers.concatenate([x2, u3], axis=4)
        u3 = self.up_conv2(u3)
        # 128->64
        u2 = self.up_2(x2)
        if self.merge_connections:
            u2 = tf.keras.layers.concatenate([x1, u2], axis=4)
        u2 = self.up_conv1(u2)
        u1 = self.conv_output(u2)
        output = self.conv_1x1(u1)
        return output


model = VNet_Small_Relative(num_channels=2, num_classes=1)
optimizer = tf.keras.optimizers.Adam(1e-3)
loss_fn = tf.keras.losses.BinaryCrossentropy(from_logits=True)
x_img = np.random.rand(2, 8, 8, 8, 1).astype("float32")
x_pos = np.random.rand(2, 3).astype("float32")
y = (np.random.rand(2, 8, 8, 8, 1) > 0.5).astype("float32")

for step in range(2):
    with tf.GradientTape() as tape:
        pred = model((x_img, x_pos), training=True)
        loss = loss_fn(y, pred)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print("step", step, "loss", round(float(loss), 4))
