"""The user trains the eager-execution ResNet50 example unchanged, in a
GradientTape loop: `prediction = model(x, training=True)`, an L2 loss, then
`grads = tape.gradient(loss, model.variables)` and
`optimizer.apply_gradients(zip(grads, model.variables))`. Many entries of
`grads` are None; the user traced them to the BatchNormalization layers and
could not see why, since the layers are trainable (current Kerases also warn
"Gradients do not exist for variables [...moving_mean...]"). Per the answer (ppwwyyxx):
`model.variables` also contains the non-trainable BatchNorm statistics
(moving_mean / moving_variance), which are updated by assignment and take no
part in the loss in training mode, so their gradients are None. Fix: ask for
and apply gradients over `model.trainable_variables`. Shrunk to a two-block
residual CNN with BatchNormalization on random 16x16 images.
---
source: https://github.com/tensorflow/tensorflow/issues/26404
framework: both
outcome: warning
cause: unused_variable
line: [76, 79]
also: [wrong_sources]
variables: [moving_mean, moving_variance]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)


class IdentityBlock(tf.keras.Model):
    def __init__(self, filters, stage, block):
        super(IdentityBlock, self).__init__(name="res%d%s" % (stage, block))
        self.conv2a = layers.Conv2D(filters, 1, name="conv2a")
        self.bn2a = layers.BatchNormalization(name="bn2a")
        self.conv2b = layers.Conv2D(filters, 3, padding="same", name="conv2b")
        self.bn2b = layers.BatchNormalization(name="bn2b")

    def call(self, input_tensor, training=False):
        x = self.conv2a(input_tensor)
        x = self.bn2a(x, training=training)
        x = tf.nn.relu(x)
        x = self.conv2b(x)
        x = self.bn2b(x, training=training)
        return tf.nn.relu(x + input_tensor)


class ResNet(tf.keras.Model):
    def __init__(self, classes=5):
        super(ResNet, self).__init__(name="resnet")
        self.conv1 = layers.Conv2D(8, 3, padding="same", name="conv1")
        self.bn_conv1 = layers.BatchNormalization(name="bn_conv1")
        self.l2a = IdentityBlock(8, stage=2, block="a")
        self.l2b = IdentityBlock(8, stage=2, block="b")
        self.avg_pool = layers.GlobalAveragePooling2D()
        self.fc1000 = layers.Dense(classes, name="fc1000")

    def call(self, x, training=False):
        x = tf.nn.relu(self.bn_conv1(self.conv1(x), training=training))
        x = self.l2b(self.l2a(x, training=training), training=training)
        return self.fc1000(self.avg_pool(x))


def compute_loss(prediction, label):
    return tf.reduce_mean(tf.square(prediction - label))


model = ResNet()
optimizer = tf.keras.optimizers.SGD(0.01)
images = np.random.rand(8, 16, 16, 3).astype("float32")
labels = tf.one_hot(np.random.randint(0, 5, 8), 5)

for step in range(2):
    with tf.GradientTape() as tape:
        prediction = model(images, training=True)
        loss = compute_loss(prediction, labels)
    grads = tape.gradient(loss, model.variables)
    none_vars = [getattr(v, "path", v.name) for g, v in zip(grads, model.variables) if g is None]
    print("step", step, "loss", float(loss), "None gradients:", len(none_vars), "of", len(grads))
    optimizer.apply_gradients(zip(grads, model.variables))
print(none_vars)
