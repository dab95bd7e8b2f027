"""The user follows the PAIR-code `saliency` "core" example with their own
grayscale image classifier. The library calls a user-written
`call_model_function(images, call_model_args, expected_keys)` that must return
the gradient of the target-class output with respect to the input images. The
user replaced `model(images)` with `model.predict(images)` inside the
`tf.GradientTape` block (and reshaped the image by hand), so the "output" fed
to `tape.gradient` is a NumPy array produced outside the recorded graph: the
gradient call fails (Keras 3: `tape.gradient` on a NumPy target raises
"AttributeError: 'numpy.ndarray' object has no attribute '_id'"; Keras 2:
`predict` inside the tape raises "LookupError: No gradient defined for
operation 'IteratorGetNext'"), so no saliency mask is produced. The fix, as
in the library's own example that worked for the user, is to call the model
directly, `output_layer = model(images)`, inside the tape after
`tape.watch(images)`. The saliency library itself is replaced by a tiny
stand-in that calls the user's function the way GradientSaliency does.
---
source: https://github.com/PAIR-code/saliency/issues/88
framework: both
outcome: error
cause: predict_in_tape
line: 48
variables: [images]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.keras.utils.set_random_seed(0)

model = keras.Sequential([
    keras.Input(shape=(32, 32, 1)),
    keras.layers.Conv2D(8, 3, activation="relu", name="conv"),
    keras.layers.GlobalAveragePooling2D(name="gap"),
    keras.layers.Dense(3, activation="softmax", name="probs"),
])

class_idx_str = "class_idx_str"
INPUT_OUTPUT_GRADIENTS = "INPUT_OUTPUT_GRADIENTS"


def call_model_function(images, call_model_args=None, expected_keys=None):
    target_class_idx = call_model_args[class_idx_str]
    images = tf.convert_to_tensor(images)
    with tf.GradientTape() as tape:
        if expected_keys == [INPUT_OUTPUT_GRADIENTS]:
            tape.watch(images)
            output_layer = model.predict(images, verbose=0)
            output_layer = output_layer[:, target_class_idx]
            gradients = np.array(tape.gradient(output_layer, images))
            return {INPUT_OUTPUT_GRADIENTS: gradients}


# stand-in for saliency.GradientSaliency().GetMask(im, call_model_function, args)
im = np.random.rand(32, 32, 1).astype("float32")
im = im.reshape(32, 32, 1)
prediction_class = int(np.argmax(model.predict(im[None], verbose=0)[0]))
out = call_model_function(im[None], {class_idx_str: prediction_class},
                          expected_keys=[INPUT_OUTPUT_GRADIENTS])
grads = out[INPUT_OUTPUT_GRADIENTS]
print("gradient w.r.t. images:", grads if grads.dtype == object else grads.shape)
vanilla_mask_3d = grads[0]  # saliency library: fails here when the gradient is None
print(vanilla_mask_3d.shape)
