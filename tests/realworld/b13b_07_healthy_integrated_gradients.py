"""Healthy: the keras.io "Model interpretability with Integrated Gradients" example,
shrunk to CPU. Instead of a pretrained Xception, a small CNN is first trained with
model.fit on a random but learnable task (which half of the image is brighter); then
the example's own helpers compute plain gradients and integrated gradients of the
top-class score with respect to the input image. Things that look suspicious but are
correct: the input is a plain tensor made with tf.cast and explicitly tape.watch()ed,
interpolation/averaging is done with NumPy outside the tape, and gradients are
converted to NumPy only after tape.gradient.
---
source: https://github.com/keras-team/keras-io/blob/master/examples/vision/integrated_gradients.py
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
tf.keras.utils.set_random_seed(0)

# Size of the input image
img_size = (32, 32, 3)


def preprocess_input(x):
    # stands in for xception.preprocess_input: scale [0, 255] -> [-1, 1]
    return x / 127.5 - 1.0


def make_data(n):
    x = np.random.random((n,) + img_size).astype("float32") * 255
    y = np.random.randint(0, 2, size=(n,))
    x[y == 0, :, :16] *= 0.5   # class 0: left half darker
    x[y == 1, :, 16:] *= 0.5   # class 1: right half darker
    return x, y


x_train, y_train = make_data(256)

model = keras.Sequential([
    keras.Input(shape=img_size),
    layers.Conv2D(8, 3, activation="relu", name="conv1"),
    layers.MaxPooling2D(),
    layers.Conv2D(8, 3, activation="relu", name="conv2"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2, activation="softmax", name="predictions"),
])
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
hist = model.fit(preprocess_input(x_train), y_train, epochs=4, batch_size=32, verbose=0)
print("loss per epoch:", [round(v, 4) for v in hist.history["loss"]])


def get_gradients(img_input, top_pred_idx):
    """Computes the gradients of outputs w.r.t input image."""
    images = tf.cast(img_input, tf.float32)

    with tf.GradientTape() as tape:
        tape.watch(images)
        preds = model(images)
        top_class = preds[:, top_pred_idx]

    grads = tape.gradient(top_class, images)
    return grads


def get_integrated_gradients(img_input, top_pred_idx, baseline=None, num_steps=20):
    """Computes Integrated Gradients for a predicted label."""
    if baseline is None:
        baseline = np.zeros(img_size).astype(np.float32)
    else:
        baseline = baseline.astype(np.float32)

    # 1. Do interpolation.
    img_input = img_input.astype(np.float32)
    interpolated_image = [
        baseline + (step / num_steps) * (img_input - baseline)
        for step in range(num_steps + 1)
    ]
    interpolated_image = np.array(interpolated_image).astype(np.float32)

    # 2. Preprocess the interpolated images
    interpolated_image = preprocess_input(interpolated_image)

    # 3. Get the gradients
    grads = []
    for i, img in enumerate(interpolated_image):
        img = tf.expand_dims(img, axis=0)
        grad = get_gradients(img, top_pred_idx=top_pred_idx)
        grads.append(grad[0])
    grads = tf.convert_to_tensor(grads, dtype=tf.float32)

    # 4. Approximate the integral using the trapezoidal rule
    grads = (grads[:-1] + grads[1:]) / 2.0
    avg_grads = tf.reduce_mean(grads, axis=0)

    # 5. Calculate integrated gradients and return
    integrated_grads = (img_input - baseline) * avg_grads
    return integrated_grads


def random_baseline_integrated_gradients(img_input, top_pred_idx, num_steps=20, num_runs=2):
    integrated_grads = []
    for run in range(num_runs):
        baseline = np.random.random(img_size) * 255
        igrads = get_integrated_gradients(img_input=img_input, top_pred_idx=top_pred_idx,
                                          baseline=baseline, num_steps=num_steps)
        integrated_grads.append(igrads)
    integrated_grads = tf.convert_to_tensor(integrated_grads)
    return tf.reduce_mean(integrated_grads, axis=0)


orig_img = x_train[0]
img = np.expand_dims(orig_img, axis=0)
preds = model.predict(preprocess_input(img), verbose=0)
top_pred_idx = int(tf.argmax(preds[0]))
print("predicted:", top_pred_idx, "label:", int(y_train[0]))

grads = get_gradients(preprocess_input(img), top_pred_idx=top_pred_idx)
igrads = random_baseline_integrated_gradients(np.copy(orig_img), top_pred_idx=top_pred_idx,
                                              num_steps=20, num_runs=2)
print("gradient is None:", grads is None, "| mean |grad|:", float(np.abs(grads.numpy()).mean()))
print("integrated gradients shape:", igrads.shape, "| mean |IG|:", float(np.abs(igrads.numpy()).mean()))
