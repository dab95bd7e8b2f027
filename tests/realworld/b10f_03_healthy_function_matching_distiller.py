"""Healthy program adapted from the keras.io recipe "Knowledge distillation
recipes" (function matching, Sayak Paul): a `Distiller(keras.Model)` holds a
frozen teacher (`teacher.trainable = False`) and a student; its custom
`train_step` runs the teacher deliberately BEFORE the GradientTape (the
teacher is not trained), runs the student inside the tape, computes a
KL-divergence between the temperature-softened teacher and student outputs,
and takes gradients only with respect to `self.student.trainable_variables`.
Inputs are mixed up (MixUp with alpha ~ U(0, 1)); labels are not used for
training. The teacher is a small CNN trained briefly on the random data
first (the recipe loads a pre-trained BiT teacher); the student is a smaller
CNN instead of ResNet50V2, and the temperature is 1 instead of 10 so the
softened targets are not flat for this weak teacher. The student trains (distillation loss falls, all
student variables change); the teacher is untouched, as intended.
---
source: https://github.com/keras-team/keras-io/blob/master/examples/keras_recipes/better_knowledge_distillation.py
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

RESIZE, NUM_CLASSES, BATCH_SIZE = 16, 5, 16
TEMPERATURE = 1  # the recipe uses 10 with a strong teacher


def mixup(images, labels):
    alpha = tf.random.uniform([], 0, 1)
    mixedup_images = alpha * images + (1 - alpha) * tf.reverse(images, axis=[0])
    return mixedup_images, labels


def get_teacher():
    return keras.Sequential([
        keras.Input(shape=(RESIZE, RESIZE, 3)),
        layers.Conv2D(16, 3, activation="relu", name="t_conv1"),
        layers.Conv2D(16, 3, activation="relu", name="t_conv2"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(NUM_CLASSES, name="t_logits"),
    ], name="teacher")


def get_student():
    return keras.Sequential([
        keras.Input(shape=(RESIZE, RESIZE, 3)),
        layers.Conv2D(8, 3, activation="relu", name="s_conv"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(NUM_CLASSES, name="s_logits"),
    ], name="student")


class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.student = student
        self.teacher = teacher
        self.loss_tracker = keras.metrics.Mean(name="distillation_loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def compile(self, optimizer, distillation_loss_fn, temperature=TEMPERATURE):
        super().compile(optimizer=optimizer)
        self.distillation_loss_fn = distillation_loss_fn
        self.temperature = temperature

    def call(self, x, training=False):
        return self.student(x, training=training)

    def train_step(self, data):
        x, _ = data

        # Forward pass of teacher (frozen, deliberately outside the tape)
        teacher_predictions = self.teacher(x, training=False)

        with tf.GradientTape() as tape:
            student_predictions = self.student(x, training=True)
            distillation_loss = self.distillation_loss_fn(
                tf.nn.softmax(teacher_predictions / self.temperature, axis=1),
                tf.nn.softmax(student_predictions / self.temperature, axis=1),
            )

        trainable_vars = self.student.trainable_variables
        gradients = tape.gradient(distillation_loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))

        self.loss_tracker.update_state(distillation_loss)
        return {"distillation_loss": self.loss_tracker.result()}


images = np.random.rand(128, RESIZE, RESIZE, 3).astype("float32")
labels = np.random.randint(0, NUM_CLASSES, size=(128,))

# Stand-in for the pre-trained teacher of the recipe.
teacher_model = get_teacher()
teacher_model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
teacher_model.fit(images, labels, epochs=10, batch_size=BATCH_SIZE, verbose=0)
teacher_model.trainable = False

train_ds = (tf.data.Dataset.from_tensor_slices((images, labels))
            .shuffle(128).batch(BATCH_SIZE).map(mixup))

student_model = get_student()
distiller = Distiller(student=student_model, teacher=teacher_model)
distiller.compile(optimizer=keras.optimizers.Adam(1e-2),
                  distillation_loss_fn=keras.losses.KLDivergence(),
                  temperature=TEMPERATURE)

teacher_before = [w.numpy().copy() for w in teacher_model.weights]
student_before = [w.numpy().copy() for w in student_model.trainable_variables]
history = distiller.fit(train_ds, epochs=5, verbose=0)
print("distillation_loss per epoch:", ["%.3e" % v for v in history.history["distillation_loss"]])
print("student vars:", [getattr(v, "path", v.name) for v in student_model.trainable_variables])
print("student changed:", [not np.allclose(b, v.numpy()) for b, v in zip(student_before, student_model.trainable_variables)])
print("teacher unchanged:", all(np.allclose(b, w.numpy()) for b, w in zip(teacher_before, teacher_model.weights)))
