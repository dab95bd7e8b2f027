"""Healthy: the FGSM recipe of the TensorFlow "Adversarial example using FGSM"
tutorial (gradient of the loss with respect to a watched input image, then its
sign), adapted into an adversarial-training loop on random 28x28 images with a
small CNN instead of a pretrained MobileNetV2. Tricky but correct: inside one
`tf.function` an inner tape watches the input tensor (`tape.watch`) to build the
perturbation, the perturbation is deliberately cut with `tf.stop_gradient` (the
attack is treated as data), and an outer tape differentiates the clean plus
adversarial loss with respect to the model's variables; a non-trainable
`tf.Variable` epsilon schedule and step counter are updated with `assign`
outside any gradient path.

---
source: https://www.tensorflow.org/tutorials/generative/adversarial_fgsm
framework: both
outcome: trains_fine
cause: none
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
keras = tf.keras

model = keras.Sequential([
    keras.Input((28, 28, 1)),
    keras.layers.Conv2D(8, 3, activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Flatten(),
    keras.layers.Dense(10),
])
loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(1e-3)

step = tf.Variable(0, trainable=False, dtype=tf.int64, name="step")
epsilon = tf.Variable(0.0, trainable=False, name="epsilon")


def create_adversarial_pattern(input_image, input_label):
    with tf.GradientTape() as tape:
        tape.watch(input_image)
        prediction = model(input_image, training=False)
        loss = loss_object(input_label, prediction)
    gradient = tape.gradient(loss, input_image)
    return tf.sign(gradient)


@tf.function
def train_step(images, labels):
    perturbations = create_adversarial_pattern(images, labels)
    adv_images = tf.clip_by_value(images + epsilon * tf.stop_gradient(perturbations), 0.0, 1.0)
    with tf.GradientTape() as tape:
        clean_loss = loss_object(labels, model(images, training=True))
        adv_loss = loss_object(labels, model(adv_images, training=True))
        loss = 0.5 * (clean_loss + adv_loss)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    step.assign_add(1)
    epsilon.assign(tf.minimum(0.1, tf.cast(step, tf.float32) * 0.005))
    return clean_loss, adv_loss


rng = np.random.default_rng(0)
prototypes = rng.uniform(0, 1, size=(10, 28, 28, 1))
labels = rng.integers(0, 10, size=(256,)).astype("int64")
images = np.clip(prototypes[labels] + rng.normal(0, 0.1, (256, 28, 28, 1)), 0, 1).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(32)

for epoch in range(4):
    for x, y in dataset:
        clean_loss, adv_loss = train_step(x, y)
    print(f"epoch {epoch}: clean loss {float(clean_loss):.4f}, adversarial loss "
          f"{float(adv_loss):.4f}, epsilon {float(epsilon):.3f}")
