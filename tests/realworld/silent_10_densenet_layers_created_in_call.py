"""DenseNet from Basic_CNNs_TensorFlow2: DenseBlock builds a new BottleNeck layer inside its call (via _make_layer) for every call, so model.fit's traced train step creates new variables on each trace and TensorFlow refuses.

---
source: https://github.com/calmiLovesAI/Basic_CNNs_TensorFlow2/issues/13
framework: both
outcome: error
cause: untracked_variable
line: 41
variables: []
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf


class BottleNeck(tf.keras.layers.Layer):
    def __init__(self, growth_rate, drop_rate):
        super(BottleNeck, self).__init__()
        self.bn1 = tf.keras.layers.BatchNormalization()
        self.conv1 = tf.keras.layers.Conv2D(filters=4 * growth_rate, kernel_size=(1, 1), strides=1, padding="same")
        self.bn2 = tf.keras.layers.BatchNormalization()
        self.conv2 = tf.keras.layers.Conv2D(filters=growth_rate, kernel_size=(3, 3), strides=1, padding="same")
        self.dropout = tf.keras.layers.Dropout(rate=drop_rate)

    def call(self, inputs, training=None, **kwargs):
        x = self.conv1(tf.nn.relu(self.bn1(inputs, training=training)))
        x = self.conv2(tf.nn.relu(self.bn2(x, training=training)))
        return self.dropout(x, training=training)


class DenseBlock(tf.keras.layers.Layer):
    def __init__(self, num_layers, growth_rate, drop_rate=0.5):
        super(DenseBlock, self).__init__()
        self.num_layers = num_layers
        self.growth_rate = growth_rate
        self.drop_rate = drop_rate
        self.features_list = []

    def _make_layer(self, x, training):
        y = BottleNeck(growth_rate=self.growth_rate, drop_rate=self.drop_rate)(x, training=training)
        self.features_list.append(y)
        y = tf.concat(self.features_list, axis=-1)
        return y

    def call(self, inputs, training=None, **kwargs):
        self.features_list.append(inputs)
        x = self._make_layer(inputs, training=training)
        for i in range(1, self.num_layers):
            x = self._make_layer(x, training=training)
        self.features_list.clear()
        return x


class DenseNet(tf.keras.Model):
    def __init__(self, num_init_features=8, growth_rate=4, block_layers=(2, 2), num_classes=5):
        super(DenseNet, self).__init__()
        self.conv = tf.keras.layers.Conv2D(num_init_features, 3, padding="same")
        self.block1 = DenseBlock(block_layers[0], growth_rate)
        self.pool = tf.keras.layers.AveragePooling2D(pool_size=2)
        self.block2 = DenseBlock(block_layers[1], growth_rate)
        self.avgpool = tf.keras.layers.GlobalAveragePooling2D()
        self.fc = tf.keras.layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=None, mask=None):
        x = self.conv(inputs)
        x = self.pool(self.block1(x, training=training))
        x = self.block2(x, training=training)
        return self.fc(self.avgpool(x))


model = DenseNet()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x = np.random.rand(32, 16, 16, 3).astype("float32")
y = np.random.randint(0, 5, 32)
model.fit(x, y, batch_size=8, epochs=2, verbose=0)
print("trained")
