"""GradientAccumulatorModel: a Keras model whose train_step computes per-batch gradients,
adds them (divided by num_accum) into non-trainable tf.Variables, and only every
num_accum-th step applies the accumulated sums inside tf.cond, then zeroes them. The
optimizer sees variables, not tape outputs, as gradients; training still works.

---
source: https://github.com/shi510/tensorflow-gradient-accumulation/blob/HEAD/gradient_accumulator.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace


class GradientAccumulatorModel(tf.keras.Model):
    def __init__(self, num_accum, **kargs):
        super().__init__(**kargs)
        self.num_accum = tf.constant(num_accum, dtype=tf.int32)
        self.step_count = tf.Variable(0, dtype=tf.int32, trainable=False)
        self.mse_tracker = tf.keras.metrics.Mean(name="mse")

    def compile(self, **kargs):
        super().compile(**kargs)
        self.optimizer.build(self.trainable_variables)
        self.grad_accum = [
            tf.Variable(tf.zeros_like(v, dtype=tf.float32), trainable=False) for v in self.trainable_variables
        ]

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = tf.reduce_mean(tf.square(y - y_pred))
        step_grads = tape.gradient(loss, self.trainable_variables)
        self.accumulate_grads_and_apply(step_grads)
        self.mse_tracker.update_state(loss)
        return {"mse": self.mse_tracker.result()}

    @property
    def metrics(self):
        return [self.mse_tracker]

    def accumulate_grads_and_apply(self, step_grads):
        self.step_count.assign_add(1)
        for i in range(len(step_grads)):
            avg_grad = step_grads[i] / tf.cast(self.num_accum, tf.float32)
            self.grad_accum[i].assign_add(avg_grad)
        tf.cond(tf.equal(self.step_count, self.num_accum), self.__apply_grads_and_init, lambda: None)

    def __apply_grads_and_init(self):
        self.optimizer.apply_gradients(zip(self.grad_accum, self.trainable_variables))
        self.step_count.assign(0)
        for i in range(len(self.grad_accum)):
            self.grad_accum[i].assign(tf.zeros_like(self.trainable_variables[i], dtype=tf.float32))


inputs = tf.keras.Input((6,))
hidden = tf.keras.layers.Dense(16, activation="relu")(inputs)
outputs = tf.keras.layers.Dense(1)(hidden)
model = GradientAccumulatorModel(num_accum=4, inputs=inputs, outputs=outputs)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-2))

x = np.random.rand(128, 6).astype("float32")
y = (x @ np.arange(6, dtype="float32")[:, None]) / 6.0
before = [v.numpy().copy() for v in model.trainable_variables]
history = model.fit(x, y, epochs=5, batch_size=8, verbose=0)
print("loss", history.history["mse"][0], "->", history.history["mse"][-1])
assert all(not np.allclose(b, v.numpy()) for b, v in zip(before, model.trainable_variables))
assert history.history["mse"][-1] < history.history["mse"][0]
print("ok")
