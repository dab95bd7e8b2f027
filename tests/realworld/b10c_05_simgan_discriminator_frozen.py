"""SimGAN-Captcha: a refiner network turns synthetic captchas into realistic ones
and a discriminator tells refined from real images. The notebook compiles
`discriminator_model`, then sets `discriminator_model.trainable = False` so that
the stacked `combined_model` (refiner -> discriminator) only updates the refiner,
and never sets it back before `discriminator_model.train_on_batch(...)`. A user
reports that after 2000 steps the discriminator loss "still remain[s] the same as
the first few rounds at 0.69314" (ln 2). In Keras 2 the flag is captured at
compile time (the maintainer says this is intended); in Keras 3 `trainable` is
read at every step, so with the flag left False the discriminator has no
trainable weights in its own `train_on_batch`: its weights never change and
its loss stays constant while the refiner trains (Keras 3 only prints
"The model does not have any trainable weights."). Fix: set
`discriminator_model.trainable = True` before the discriminator updates and False
again before the combined update (or write a custom train_step).
---
source: https://github.com/0b01/SimGAN-Captcha/issues/1
framework: keras3
outcome: warning
cause: frozen_model
line: 61
variables: [disc_conv1/kernel, disc_conv2/kernel, disc_out/kernel]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, models, optimizers

tf.keras.utils.set_random_seed(0)
img_height, img_width, img_channels = 16, 32, 1


def refiner_network(input_image_tensor):
    def resnet_block(input_features, nb_features=16, kernel_size=3):
        y = layers.Conv2D(nb_features, kernel_size, padding="same", activation="relu")(input_features)
        y = layers.Conv2D(nb_features, kernel_size, padding="same")(y)
        y = layers.add([input_features, y])
        return layers.Activation("relu")(y)
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="ref_conv_in")(input_image_tensor)
    x = resnet_block(x)
    return layers.Conv2D(img_channels, 1, padding="same", activation="tanh", name="ref_out")(x)


def discriminator_network(input_image_tensor):
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu", name="disc_conv1")(input_image_tensor)
    x = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu", name="disc_conv2")(x)
    x = layers.Conv2D(2, 1, padding="same", name="disc_out")(x)
    return layers.Reshape((-1, 2))(layers.Activation("softmax")(x))


synthetic_image_tensor = layers.Input(shape=(img_height, img_width, img_channels))
refined_or_real_image_tensor = layers.Input(shape=(img_height, img_width, img_channels))
refiner_model = models.Model(synthetic_image_tensor, refiner_network(synthetic_image_tensor), name="refiner")
discriminator_model = models.Model(refined_or_real_image_tensor,
                                   discriminator_network(refined_or_real_image_tensor), name="discriminator")

refiner_model.compile(optimizer=optimizers.SGD(1e-3), loss="mae")
discriminator_model.compile(optimizer=optimizers.SGD(1e-3), loss="categorical_crossentropy")

# stacked model: refiner -> discriminator; only the refiner should train here
refined_image = refiner_model(synthetic_image_tensor)
discriminator_model.trainable = False
combined_output = discriminator_model(refined_image)
combined_model = models.Model(synthetic_image_tensor, [refined_image, combined_output], name="combined")
combined_model.compile(optimizer=optimizers.SGD(1e-3), loss=["mae", "categorical_crossentropy"])

batch_size = 16
real = np.random.rand(64, img_height, img_width, img_channels).astype("float32")
synthetic = np.random.rand(64, img_height, img_width, img_channels).astype("float32") * 2 - 1
patches = discriminator_model.output_shape[1]
y_real = np.array([[[1.0, 0.0]] * patches] * batch_size)
y_refined = np.array([[[0.0, 1.0]] * patches] * batch_size)

d_before = [w.copy() for w in discriminator_model.get_weights()]
r_before = [w.copy() for w in refiner_model.get_weights()]
for step in range(12):
    i = (step * batch_size) % 64
    synthetic_image_batch = synthetic[i:i + batch_size]
    real_image_batch = real[i:i + batch_size]
    combined_loss = combined_model.train_on_batch(synthetic_image_batch, [synthetic_image_batch, y_real])
    refined_image_batch = refiner_model.predict_on_batch(synthetic_image_batch)
    disc_loss_real = discriminator_model.train_on_batch(real_image_batch, y_real)
    disc_loss_refined = discriminator_model.train_on_batch(refined_image_batch, y_refined)
    if step % 4 == 0:
        print("step", step, "disc loss real", round(float(disc_loss_real), 5),
              "refined", round(float(disc_loss_refined), 5))
print("discriminator weights changed:",
      any(np.any(a != b) for a, b in zip(d_before, discriminator_model.get_weights())))
print("refiner weights changed:",
      any(np.any(a != b) for a, b in zip(r_before, refiner_model.get_weights())))
