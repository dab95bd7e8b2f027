"""A user adapting the keras.io ShiftViT example wanted a `call()` for the `ShiftViTModel`
subclass. Calling `self.stages(x)` failed because `stages` is a Python list of stacked shift
blocks, so they wrote a `call()` that goes from the patch projection straight to global average
pooling and returns that. It ran, but "the model accuracy is not increasing as some part is
missing". The cause: every shift block in `self.stages` (and the `classifier` head) is created
and tracked but never called in `call()`. Because they are never called they are never even
built, so they own no weights at all: Keras prints no warning, the only trainable variables are
the patch projection's kernel and bias, and the model silently learns nothing of the shift
blocks. The fix is to loop over
the list (`for stage in self.stages: x = stage(x)`) and apply the classifier, as the example's
own `_calculate_loss` does.
---
source: https://github.com/keras-team/keras-io/issues/904
framework: both
outcome: trains_silently
cause: unused_variable
static: false
line: [85, 87, 88, 89]
variables: [stacked_shift_block_0, stacked_shift_block_1, classifier]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(0)


class MLP(layers.Layer):
    def __init__(self, mlp_expand_ratio, mlp_dropout_rate, **kwargs):
        super().__init__(**kwargs)
        self.mlp_expand_ratio = mlp_expand_ratio
        self.mlp_dropout_rate = mlp_dropout_rate

    def build(self, input_shape):
        input_channels = input_shape[-1]
        initial_filters = int(self.mlp_expand_ratio * input_channels)
        self.mlp = keras.Sequential([
            layers.Dense(initial_filters, activation="gelu"),
            layers.Dropout(self.mlp_dropout_rate),
            layers.Dense(input_channels),
        ])

    def call(self, x):
        return self.mlp(x)


class ShiftViTBlock(layers.Layer):
    def __init__(self, mlp_expand_ratio=2, mlp_dropout_rate=0.0, **kwargs):
        super().__init__(**kwargs)
        self.layer_norm = layers.LayerNormalization(epsilon=1e-5)
        self.mlp = MLP(mlp_expand_ratio, mlp_dropout_rate)

    def call(self, x):
        x_shift = tf.roll(x, shift=1, axis=1)  # simplified channel shift
        return x + self.mlp(self.layer_norm(x_shift))


class StackedShiftBlocks(layers.Layer):
    def __init__(self, num_shift_blocks, **kwargs):
        super().__init__(**kwargs)
        self.shift_blocks = [ShiftViTBlock() for _ in range(num_shift_blocks)]

    def call(self, x):
        for shift_block in self.shift_blocks:
            x = shift_block(x)
        return x


class ShiftViTModel(keras.Model):
    """The ShiftViT Model."""

    def __init__(self, data_augmentation, projected_dim, patch_size, num_shift_blocks_per_stages, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.data_augmentation = data_augmentation
        self.patch_projection = layers.Conv2D(filters=projected_dim, kernel_size=patch_size,
                                              strides=patch_size, padding="same")
        self.stages = list()
        for index, num_shift_blocks in enumerate(num_shift_blocks_per_stages):
            self.stages.append(StackedShiftBlocks(num_shift_blocks, name=f"stacked_shift_block_{index}"))
        self.global_avg_pool = layers.GlobalAveragePooling2D()
        self.classifier = layers.Dense(num_classes, name="classifier")

    def call(self, images):
        augmented_images = self.data_augmentation(images)
        x = self.patch_projection(augmented_images)
        logits = self.global_avg_pool(x)
        return logits


data_augmentation = keras.Sequential([layers.Rescaling(1 / 255.0)], name="data_augmentation")
model = ShiftViTModel(data_augmentation, projected_dim=16, patch_size=2,
                      num_shift_blocks_per_stages=[1, 1], num_classes=4)

x_train = np.random.randint(0, 256, (64, 8, 8, 3)).astype("float32")
y_train = np.random.randint(0, 4, (64,))
model.compile(optimizer=keras.optimizers.Adam(1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=16, epochs=2, verbose=2)
