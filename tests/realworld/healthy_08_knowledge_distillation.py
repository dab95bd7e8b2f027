"""keras.io knowledge distillation: a Distiller model wraps a trained teacher and a
student; train_step runs the teacher BEFORE the tape (training=False), the student inside
it, and minimizes alpha * CE + (1 - alpha) * KL(softmax(t/T) || softmax(s/T)) with respect
to the student's variables only. The teacher is not updated, by design.

---
source: https://github.com/keras-team/keras-io/blob/master/examples/vision/knowledge_distillation.py
framework: both
outcome: trains_fine
cause: none
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)  # the suite compares this program's output with and without gradtrace
from tensorflow import keras
from tensorflow.keras import layers


class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.teacher = teacher
        self.student = student
        self.acc_tracker = keras.metrics.SparseCategoricalAccuracy(name="accuracy")
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def compile(self, optimizer, student_loss_fn, distillation_loss_fn, alpha=0.1, temperature=3):
        super().compile(optimizer=optimizer)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.alpha = alpha
        self.temperature = temperature

    @property
    def metrics(self):
        return [self.loss_tracker, self.acc_tracker]

    def train_step(self, data):
        x, y = data
        # Forward pass of teacher
        teacher_predictions = self.teacher(x, training=False)
        with tf.GradientTape() as tape:
            student_predictions = self.student(x, training=True)
            student_loss = self.student_loss_fn(y, student_predictions)
            distillation_loss = self.distillation_loss_fn(
                tf.nn.softmax(teacher_predictions / self.temperature, axis=1),
                tf.nn.softmax(student_predictions / self.temperature, axis=1),
            ) * (self.temperature ** 2)
            loss = self.alpha * student_loss + (1 - self.alpha) * distillation_loss
        trainable_vars = self.student.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        self.loss_tracker.update_state(loss)
        self.acc_tracker.update_state(y, student_predictions)
        return {"loss": self.loss_tracker.result(), "accuracy": self.acc_tracker.result()}

    def call(self, x):
        return self.student(x)


teacher = keras.Sequential(
    [keras.Input(shape=(14, 14, 1)), layers.Conv2D(16, 3, strides=2, padding="same"),
     layers.LeakyReLU(),
     layers.Flatten(), layers.Dense(10)],
    name="teacher",
)
student = keras.Sequential(
    [keras.Input(shape=(14, 14, 1)), layers.Conv2D(4, 3, strides=2, padding="same"),
     layers.LeakyReLU(), layers.Flatten(), layers.Dense(10)],
    name="student",
)
x_train = np.random.rand(128, 14, 14, 1).astype("float32")
y_train = np.random.randint(0, 10, 128)

teacher.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
teacher.fit(x_train, y_train, epochs=2, verbose=0)

distiller = Distiller(student=student, teacher=teacher)
distiller.compile(
    optimizer=keras.optimizers.Adam(1e-2),
    student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    distillation_loss_fn=keras.losses.KLDivergence(),
    alpha=0.1,
    temperature=10,
)
s_before = [v.numpy().copy() for v in student.trainable_variables]
t_before = [v.numpy().copy() for v in teacher.trainable_variables]
history = distiller.fit(x_train, y_train, epochs=3, batch_size=32, verbose=0)
print("loss", history.history["loss"][0], "->", history.history["loss"][-1])
assert all(not np.allclose(b, v.numpy()) for b, v in zip(s_before, student.trainable_variables))
assert all(np.allclose(b, v.numpy()) for b, v in zip(t_before, teacher.trainable_variables))
print("ok")
