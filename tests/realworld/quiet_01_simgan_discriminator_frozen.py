"""SimGAN (refiner + local-adversarial discriminator) written the Keras 2 way: the
discriminator is compiled, then `discriminator_model.trainable = False` is set so that the
combined refiner+discriminator model only trains the refiner, and the flag is never set back.
Keras 2 froze the trainable state at compile time, so the discriminator still trained through
its own `train_on_batch`. Keras 3 reads `trainable` when the train function is first built, so
the discriminator has no trainable weights at all: its `train_on_batch` calls only warn "The model
does not have any trainable weights", it reports 0 trainable weights and its kernels are
bit-identical after the pre-training steps, while the refiner trains normally.
---
source: https://github.com/mjdietzx/SimGAN/issues/6
framework: keras3
outcome: warning
cause: frozen_model
line: 87
variables: [disc_]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, models, optimizers

img_width = 20
img_height = 12
img_channels = 1
batch_size = 4


def refiner_network(input_image_tensor):
    def resnet_block(input_features, nb_features=8, nb_kernel_rows=3, nb_kernel_cols=3):
        y = layers.Conv2D(nb_features, (nb_kernel_rows, nb_kernel_cols), padding='same')(input_features)
        y = layers.Activation('relu')(y)
        y = layers.Conv2D(nb_features, (nb_kernel_rows, nb_kernel_cols), padding='same')(y)
        y = layers.add([input_features, y])
        return layers.Activation('relu')(y)

    x = layers.Conv2D(8, (3, 3), padding='same', activation='relu')(input_image_tensor)
    for _ in range(2):
        x = resnet_block(x)
    return layers.Conv2D(img_channels, (1, 1), padding='same', activation='tanh')(x)


def discriminator_network(input_image_tensor):
    x = layers.Conv2D(12, (3, 3), padding='same', strides=(2, 2), activation='relu', name='disc_1')(input_image_tensor)
    x = layers.Conv2D(8, (3, 3), padding='same', strides=(2, 2), activation='relu', name='disc_2')(x)
    x = layers.MaxPooling2D(pool_size=(3, 3), padding='same', strides=(1, 1), name='disc_3')(x)
    x = layers.Conv2D(4, (3, 3), padding='same', strides=(1, 1), activation='relu', name='disc_4')(x)
    x = layers.Conv2D(4, (1, 1), padding='same', strides=(1, 1), activation='relu', name='disc_5')(x)
    x = layers.Conv2D(2, (1, 1), padding='same', strides=(1, 1), name='disc_6')(x)
    return layers.Reshape((-1, 2))(x)


def self_regularization_loss(y_true, y_pred):
    delta = 0.0001
    return tf.multiply(delta, tf.reduce_sum(tf.abs(y_pred - y_true)))


def local_adversarial_loss(y_true, y_pred):
    y_true = tf.reshape(y_true, (-1, 2))
    y_pred = tf.reshape(y_pred, (-1, 2))
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    return tf.reduce_mean(loss)


def adversarial_training():
    synthetic_image_tensor = layers.Input(shape=(img_height, img_width, img_channels))
    refined_image_tensor = refiner_network(synthetic_image_tensor)

    refined_or_real_image_tensor = layers.Input(shape=(img_height, img_width, img_channels))
    discriminator_output = discriminator_network(refined_or_real_image_tensor)

    refiner_model = models.Model(synthetic_image_tensor, refined_image_tensor, name='refiner')
    discriminator_model = models.Model(refined_or_real_image_tensor, discriminator_output,
                                       name='discriminator')

    refiner_model_output = refiner_model(synthetic_image_tensor)
    combined_output = discriminator_model(refiner_model_output)
    combined_model = models.Model(synthetic_image_tensor, [refiner_model_output, combined_output],
                                  name='combined')

    discriminator_model_output_shape = discriminator_model.output_shape

    refiner_model.compile(optimizer=optimizers.SGD(learning_rate=0.01), loss=self_regularization_loss)
    discriminator_model.compile(optimizer=optimizers.SGD(learning_rate=0.01),
                                loss=local_adversarial_loss)
    discriminator_model.trainable = False
    combined_model.compile(optimizer=optimizers.SGD(learning_rate=0.01),
                           loss=[self_regularization_loss, local_adversarial_loss])

    rng = np.random.default_rng(0)

    def get_image_batch():
        return rng.uniform(-1, 1, (batch_size, img_height, img_width, img_channels)).astype('float32')

    y_real = np.array([[[1.0, 0.0]] * discriminator_model_output_shape[1]] * batch_size)
    y_refined = np.array([[[0.0, 1.0]] * discriminator_model_output_shape[1]] * batch_size)

    # pre-train the refiner with self-regularization loss
    r_before = [w.copy() for w in refiner_model.get_weights()]
    for i in range(2):
        synthetic_image_batch = get_image_batch()
        print('refiner pre-train loss:', refiner_model.train_on_batch(synthetic_image_batch, synthetic_image_batch))
    print('refiner weights changed:',
          any(not np.array_equal(a, b) for a, b in zip(r_before, refiner_model.get_weights())))

    # pre-train the discriminator (one mini-batch real, one refined)
    d_before = [w.copy() for w in discriminator_model.get_weights()]
    for _ in range(2):
        real_image_batch = get_image_batch()
        print('disc loss real:', discriminator_model.train_on_batch(real_image_batch, y_real))
        synthetic_image_batch = get_image_batch()
        refined_image_batch = refiner_model.predict_on_batch(synthetic_image_batch)
        print('disc loss refined:', discriminator_model.train_on_batch(refined_image_batch, y_refined))
    print('discriminator trainable weights:', len(discriminator_model.trainable_weights))
    print('discriminator weights changed:',
          any(not np.array_equal(a, b) for a, b in zip(d_before, discriminator_model.get_weights())))


if __name__ == '__main__':
    tf.keras.utils.set_random_seed(0)
    adversarial_training()
