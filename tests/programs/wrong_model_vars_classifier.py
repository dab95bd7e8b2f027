"""Knowledge distillation: the student step asks the tape for the teacher's
variables instead of the student's.

---
framework: both
outcome: error
cause: wrong_sources
static: false
line: [44, 45]
variables: [teacher_hidden, teacher_logits]
"""
import tensorflow as tf


def make_classifier(width, name):
    return tf.keras.Sequential(
        [
            tf.keras.Input((16,)),
            tf.keras.layers.Dense(width, activation="relu", name=f"{name}_hidden"),
            tf.keras.layers.Dense(10, name=f"{name}_logits"),
        ],
        name=name,
    )


teacher = make_classifier(64, "teacher")
student = make_classifier(8, "student")
optimizer = tf.keras.optimizers.Adam(1e-3)
kld = tf.keras.losses.KLDivergence()
cce = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
temperature, alpha = 4.0, 0.7

x = tf.random.normal((64, 16))
y = tf.random.uniform((64,), 0, 10, dtype=tf.int32)
soft_targets = tf.nn.softmax(teacher(x, training=False) / temperature)

for step in range(3):
    with tf.GradientTape() as tape:
        student_logits = student(x, training=True)
        distill = kld(soft_targets, tf.nn.softmax(student_logits / temperature))
        loss = alpha * distill * temperature**2 + (1 - alpha) * cce(y, student_logits)
    # The model being trained is the student, but the variables come from
    # the teacher.
    params = teacher.trainable_variables
    grads = tape.gradient(loss, params)
    optimizer.apply_gradients(zip(grads, params))
    print(f"step {step}: loss {float(loss):.4f}")
