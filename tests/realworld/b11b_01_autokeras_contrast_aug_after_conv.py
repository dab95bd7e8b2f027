"""AutoKeras image classifier on 25x25x10 multispectral tiles: the user stacked
`ak.ConvBlock()` -> `ak.ImageBlock()` -> `ak.ClassificationHead()`, so the
ImageBlock's data-augmentation stage (Normalization + ImageAugmentation with a
RandomContrast layer) ended up *behind* trainable convolution layers. When the
tuner sampled a trial with contrast_factor > 0, fit() crashed with
"LookupError: gradient registry has no entry for: AdjustContrastv2". The
tf-keras RandomContrast layer calls tf.image.adjust_contrast, whose raw kernel
has no registered gradient, and here the gradient of the loss must flow back
through it to reach the first ConvBlock. The fix is to put augmentation directly
on the input (ImageBlock first, or augment=False after trainable layers).
The program rebuilds the graph AutoKeras generated for that trial as plain
Keras blocks. Keras 3's RandomContrast is written with differentiable ops, so
only tf-keras reproduces.
---
source: https://github.com/keras-team/autokeras/issues/1368
framework: keras2
outcome: error
cause: nondifferentiable_op
line: [46, 67, 68]
variables: [conv_block_0_conv0/kernel, conv_block_0_conv0/bias, conv_block_0_conv1/kernel, conv_block_0_conv1/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
keras = tf.keras
layers = keras.layers


def conv_block(x, name, filters=(16, 16), kernel_size=3):
    # ak.ConvBlock: a stack of Conv2D + ReLU, then max pooling
    for i, f in enumerate(filters):
        x = layers.Conv2D(f, kernel_size, padding="same", activation="relu",
                          name=f"{name}_conv{i}")(x)
    return layers.MaxPooling2D(pool_size=2, padding="same", name=f"{name}_pool")(x)


def image_augmentation(x, translation_factor=0.1, horizontal_flip=True,
                       contrast_factor=0.1):
    # ak.ImageAugmentation for this trial: translation, flip and contrast
    if translation_factor:
        x = layers.RandomTranslation(translation_factor, translation_factor, name="aug_translate")(x)
    if horizontal_flip:
        x = layers.RandomFlip("horizontal", name="aug_flip")(x)
    if contrast_factor:
        x = layers.RandomContrast(contrast_factor, name="aug_contrast")(x)
    return x


def image_block(x, normalize=True, augment=True):
    # ak.ImageBlock = [Normalization] + [ImageAugmentation] + [ConvBlock | ResNet | Xception]
    if normalize:
        x = layers.Normalization(axis=-1, mean=0.0, variance=1.0, name="ib_norm")(x)
    if augment:
        x = image_augmentation(x)
    return conv_block(x, "conv_block_1", filters=(32,))


def classification_head(x, num_classes):
    x = layers.GlobalAveragePooling2D(name="head_gap")(x)
    x = layers.Dropout(0.25, name="head_dropout")(x)
    return layers.Dense(num_classes, activation="softmax", name="head_dense")(x)


# --- the user's graph: ConvBlock -> ImageBlock -> ClassificationHead ---
input_node = keras.Input(shape=(25, 25, 10), name="input_1")
output_node = conv_block(input_node, "conv_block_0")
output_node = image_block(output_node)
output_node = classification_head(output_node, num_classes=4)
model = keras.Model(input_node, output_node, name="trial_17")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

Xtrain = np.random.rand(64, 25, 25, 10).astype("float32")
ytrain = np.random.randint(0, 4, size=(64,))
print("trainable variables:", [v.name for v in model.trainable_variables])
model.fit(Xtrain, ytrain, epochs=2, batch_size=16, verbose=2)
print("training finished")
