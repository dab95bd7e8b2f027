"""BYOL pre-training from garder14/byol-tensorflow2 (pretraining.py, models.py, losses.py,
augmentation.py, datasets.py folded into one file). The target networks `f_target` and
`g_target` are run *before* the `GradientTape` opens, so their outputs are constants for
the loss (this is BYOL's stop-gradient on the target branch, done by placement instead of
`tf.stop_gradient`); they never get gradients and are instead updated after every step by
an exponential moving average computed in NumPy (`get_weights()`/`set_weights()`) outside
the tape. The online networks are updated by three separate `tape.gradient` calls on one
persistent tape. The augmentation functions are `@tf.function`s with Python `if` on random
tensors (converted to `tf.cond` by AutoGraph) and integer crop sizes, all on the data path.
CIFAR-10 is replaced by random images and the ResNet18/heads are shrunk (two stages of one
block, 8-16 filters, 32->16 projection); losses are printed instead of `np.savetxt`; `opt.build(...)` is added because current Keras
optimizers refuse variables they were not built with (the repo predates that check).
---
source: https://github.com/garder14/byol-tensorflow2/blob/main/pretraining.py
framework: both
outcome: trains_fine
cause: none
line: 0
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()


# ---- augmentation.py ----
def random_crop_flip_resize(image):
    # Random cropping
    h_crop = tf.cast(tf.random.uniform(shape=[], minval=13, maxval=33, dtype=tf.int32), tf.float32)
    w_crop = h_crop * tf.random.uniform(shape=[], minval=0.67, maxval=1.0)
    h_crop, w_crop = tf.cast(h_crop, tf.int32), tf.cast(w_crop, tf.int32)
    opposite_aspectratio = tf.random.uniform(shape=[])
    if opposite_aspectratio < 0.5:
        h_crop, w_crop = w_crop, h_crop
    image = tf.image.random_crop(image, size=[h_crop, w_crop, 3])

    # Horizontal flipping
    horizontal_flip = tf.random.uniform(shape=[])
    if horizontal_flip < 0.5:
        image = tf.image.random_flip_left_right(image)

    # Resizing to original size
    image = tf.image.resize(image, size=[32, 32])
    return image


def random_color_distortion(image):
    # Random color jittering (strength 0.5)
    color_jitter = tf.random.uniform(shape=[])
    if color_jitter < 0.8:
        image = tf.image.random_brightness(image, max_delta=0.4)
        image = tf.image.random_contrast(image, lower=0.6, upper=1.4)
        image = tf.image.random_saturation(image, lower=0.6, upper=1.4)
        image = tf.image.random_hue(image, max_delta=0.1)
        image = tf.clip_by_value(image, 0, 1)

    # Color dropping
    color_drop = tf.random.uniform(shape=[])
    if color_drop < 0.2:
        image = tf.image.rgb_to_grayscale(image)
        image = tf.tile(image, [1, 1, 3])

    return image


@tf.function
def augment_image_pretraining(image):
    image = random_crop_flip_resize(image)
    image = random_color_distortion(image)
    return image


# ---- datasets.py ----
class CIFAR10:

    def __init__(self):
        # Random stand-in for tf.keras.datasets.cifar10.load_data()
        rng = np.random.default_rng(0)
        self.x_train = rng.integers(0, 256, size=(32, 32, 32, 3)).astype("uint8")
        self.y_train = rng.integers(0, 10, size=(32, 1))
        self.num_train_images = self.y_train.shape[0]

        # Normalize training images
        self.x_train = tf.cast(self.x_train / 255., tf.float32)
        self.y_train = tf.cast(tf.squeeze(self.y_train), tf.int32)

    def get_batch_pretraining(self, batch_id, batch_size):
        augmented_images_1, augmented_images_2 = [], []
        for image_id in range(batch_id*batch_size, (batch_id+1)*batch_size):
            image = self.x_train[image_id]
            augmented_images_1.append(augment_image_pretraining(image))
            augmented_images_2.append(augment_image_pretraining(image))
        x_batch_1 = tf.stack(augmented_images_1)
        x_batch_2 = tf.stack(augmented_images_2)
        return x_batch_1, x_batch_2  # (bs, 32, 32, 3), (bs, 32, 32, 3)

    def shuffle_training_data(self):
        random_ids = tf.random.shuffle(tf.range(self.num_train_images))
        self.x_train = tf.gather(self.x_train, random_ids)
        self.y_train = tf.gather(self.y_train, random_ids)


# ---- models.py ----
class BasicBlock(tf.keras.layers.Layer):

    def __init__(self, filters, strides):
        super(BasicBlock, self).__init__()
        self.conv1 = tf.keras.layers.Conv2D(filters=filters, kernel_size=(3, 3), strides=strides, padding='same')
        self.bn1 = tf.keras.layers.BatchNormalization()
        self.conv2 = tf.keras.layers.Conv2D(filters=filters, kernel_size=(3, 3), strides=1, padding='same')
        self.bn2 = tf.keras.layers.BatchNormalization()

        if strides != 1:
            self.convdown = tf.keras.layers.Conv2D(filters=filters, kernel_size=(1, 1), strides=strides)
            self.bndown = tf.keras.layers.BatchNormalization()
        self.strides = strides

    def call(self, inp, training=False):
        x1 = self.conv1(inp)
        x1 = self.bn1(x1, training=training)
        x1 = tf.nn.relu(x1)
        x1 = self.conv2(x1)
        x1 = self.bn2(x1, training=training)

        if self.strides != 1:
            x2 = self.convdown(inp)
            x2 = self.bndown(x2, training=training)
        else:
            x2 = inp

        x = tf.keras.layers.add([x1, x2])
        x = tf.nn.relu(x)
        return x


# ResNet with BasicBlock (adapted to CIFAR-10), shrunk
class BasicResNet(tf.keras.Model):

    def __init__(self, layer_blocks):
        super(BasicResNet, self).__init__()

        self.conv1 = tf.keras.layers.Conv2D(filters=8, kernel_size=(3, 3), strides=1, padding='same')
        self.bn1 = tf.keras.layers.BatchNormalization()

        self.blocks = []
        self.blocks.append(BasicBlock(filters=8, strides=1))
        for _ in range(layer_blocks[0] - 1):
            self.blocks.append(BasicBlock(filters=8, strides=1))

        self.blocks.append(BasicBlock(filters=16, strides=2))
        for _ in range(layer_blocks[1] - 1):
            self.blocks.append(BasicBlock(filters=16, strides=1))

        self.avgpool = tf.keras.layers.GlobalAveragePooling2D()

    def call(self, inp, training=False):
        x = self.conv1(inp)
        x = self.bn1(x, training=training)
        x = tf.nn.relu(x)
        for block in self.blocks:
            x = block(x, training=training)
        x = self.avgpool(x)
        return x


def ResNet18():
    return BasicResNet(layer_blocks=[1, 1])


# 16 (h) -> 32 -> 16 (z)
class ProjectionHead(tf.keras.Model):

    def __init__(self):
        super(ProjectionHead, self).__init__()
        self.fc1 = tf.keras.layers.Dense(units=32)
        self.bn = tf.keras.layers.BatchNormalization()
        self.fc2 = tf.keras.layers.Dense(units=16)

    def call(self, inp, training=False):
        x = self.fc1(inp)
        x = self.bn(x, training=training)
        x = tf.nn.relu(x)
        x = self.fc2(x)
        return x


# ---- losses.py ----
def byol_loss(p, z):
    p = tf.math.l2_normalize(p, axis=1)  # (2*bs, 128)
    z = tf.math.l2_normalize(z, axis=1)  # (2*bs, 128)

    similarities = tf.reduce_sum(tf.multiply(p, z), axis=1)
    return 2 - 2 * tf.reduce_mean(similarities)


# ---- pretraining.py ----
encoders = {'resnet18': ResNet18}


def main(encoder='resnet18', num_epochs=2, batch_size=16):

    # Load CIFAR-10 dataset
    data = CIFAR10()

    # Instantiate networks
    f_online = encoders[encoder]()
    g_online = ProjectionHead()
    q_online = ProjectionHead()

    f_target = encoders[encoder]()
    g_target = ProjectionHead()

    # Initialize the weights of the networks
    x = tf.random.normal((8, 32, 32, 3))
    h = f_online(x, training=False)
    z = g_online(h, training=False)
    p = q_online(z, training=False)
    h = f_target(x, training=False)
    z = g_target(h, training=False)

    num_params_f = tf.reduce_sum([tf.reduce_prod(var.shape) for var in f_online.trainable_variables])
    print('The encoders have {} trainable parameters each.'.format(num_params_f))

    # Define optimizer
    lr = 1e-3 * batch_size / 512
    opt = tf.keras.optimizers.Adam(learning_rate=lr)
    # Added: current optimizers must know every variable before the per-network apply_gradients calls
    opt.build(f_online.trainable_variables + g_online.trainable_variables + q_online.trainable_variables)

    @tf.function
    def train_step_pretraining(x1, x2):  # (bs, 32, 32, 3), (bs, 32, 32, 3)

        # Forward pass
        h_target_1 = f_target(x1, training=True)
        z_target_1 = g_target(h_target_1, training=True)

        h_target_2 = f_target(x2, training=True)
        z_target_2 = g_target(h_target_2, training=True)

        with tf.GradientTape(persistent=True) as tape:
            h_online_1 = f_online(x1, training=True)
            z_online_1 = g_online(h_online_1, training=True)
            p_online_1 = q_online(z_online_1, training=True)

            h_online_2 = f_online(x2, training=True)
            z_online_2 = g_online(h_online_2, training=True)
            p_online_2 = q_online(z_online_2, training=True)

            p_online = tf.concat([p_online_1, p_online_2], axis=0)
            z_target = tf.concat([z_target_2, z_target_1], axis=0)
            loss = byol_loss(p_online, z_target)

        # Backward pass (update online networks)
        grads = tape.gradient(loss, f_online.trainable_variables)
        opt.apply_gradients(zip(grads, f_online.trainable_variables))
        grads = tape.gradient(loss, g_online.trainable_variables)
        opt.apply_gradients(zip(grads, g_online.trainable_variables))
        grads = tape.gradient(loss, q_online.trainable_variables)
        opt.apply_gradients(zip(grads, q_online.trainable_variables))
        del tape

        return loss

    online_before = [v.numpy().copy() for v in f_online.trainable_variables + q_online.trainable_variables]
    batches_per_epoch = data.num_train_images // batch_size

    losses = []
    for epoch_id in range(num_epochs):
        data.shuffle_training_data()

        for batch_id in range(batches_per_epoch):
            x1, x2 = data.get_batch_pretraining(batch_id, batch_size)
            loss = train_step_pretraining(x1, x2)
            losses.append(float(loss))

            # Update target networks (exponential moving average of online networks)
            beta = 0.99

            f_target_weights = f_target.get_weights()
            f_online_weights = f_online.get_weights()
            for i in range(len(f_online_weights)):
                f_target_weights[i] = beta * f_target_weights[i] + (1 - beta) * f_online_weights[i]
            f_target.set_weights(f_target_weights)

            g_target_weights = g_target.get_weights()
            g_online_weights = g_online.get_weights()
            for i in range(len(g_online_weights)):
                g_target_weights[i] = beta * g_target_weights[i] + (1 - beta) * g_online_weights[i]
            g_target.set_weights(g_target_weights)

        print('[Epoch {}/{}] Loss={:.4f}.'.format(epoch_id + 1, num_epochs, np.mean(losses[-batches_per_epoch:])))

    online_after = f_online.trainable_variables + q_online.trainable_variables
    changed = sum(not np.allclose(b, v.numpy()) for b, v in zip(online_before, online_after))
    print('online variables changed: %d/%d' % (changed, len(online_before)))
    print('final loss:', round(losses[-1], 4))


if __name__ == '__main__':
    main()
