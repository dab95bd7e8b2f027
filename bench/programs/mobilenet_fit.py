"""model.fit of MobileNetV2(weights=None) on random images, timed from inside.

BROKEN=1 rounds the predictions inside the loss, which leaves no gradient: fit fails.
The script writes when fit started and, when healthy, each batch's duration.
"""
import os
import time

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
SIZE, BATCH, IMAGES = 96, 16, int(os.environ.get("BENCH_IMAGES", "256"))
model = tf.keras.applications.MobileNetV2(weights=None, input_shape=(SIZE, SIZE, 3), classes=10)


def rounded_loss(y_true, y_pred):
    return tf.keras.losses.categorical_crossentropy(y_true, tf.round(y_pred))


broken = os.environ.get("BROKEN") == "1"
model.compile(optimizer="adam", loss=rounded_loss if broken else "categorical_crossentropy")
x = np.random.rand(IMAGES, SIZE, SIZE, 3).astype("float32")
y = tf.keras.utils.to_categorical(np.random.randint(0, 10, size=(IMAGES,)), 10)


class BatchTimes(tf.keras.callbacks.Callback):
    def on_train_batch_begin(self, batch, logs=None):
        self.began = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        times.append(time.perf_counter() - self.began)


times = []
result = open(os.environ["BENCH_RESULT"], "w")
result.write(f"fit_started {time.time()}\n")
result.flush()
start = time.perf_counter()
model.fit(x, y, batch_size=BATCH, epochs=2, verbose=0, callbacks=[BatchTimes()])
result.write(f"fit_seconds {time.perf_counter() - start}\n")
result.write("batch_seconds " + " ".join(f"{t}" for t in times) + "\n")
result.close()
