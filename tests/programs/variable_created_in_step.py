"""Temperature scaling for a classifier's logits: the only parameter, a
`temperature` tf.Variable, is created inside the `@tf.function` step on its
first call (the usual tf.function idiom), but the gradient is asked for
`calibrator.trainable_variables`, which is empty: the Softmax model has no
weights and knows nothing of the variable. No error; the temperature stays at
1.0 and the loss never moves.

---
framework: both
outcome: trains_silently
cause: untracked_variable
line: [29, 33]
variables: [temperature]
"""
import tensorflow as tf

NUM_CLASSES, LR = 4, 0.1
calibrator = tf.keras.Sequential(
    [tf.keras.Input((NUM_CLASSES,)), tf.keras.layers.Softmax(name="probs")], name="calibrator"
)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
temperature = None


@tf.function
def train_step(logits, labels):
    global temperature
    if temperature is None:
        temperature = tf.Variable(1.0, name="temperature")
    with tf.GradientTape() as tape:
        probs = calibrator(logits / temperature)
        loss = loss_fn(labels, probs)
    grads = tape.gradient(loss, calibrator.trainable_variables)
    for grad, var in zip(grads, calibrator.trainable_variables):
        var.assign_sub(LR * grad)
    return loss


logits = tf.random.normal((64, NUM_CLASSES)) * 5.0
labels = tf.random.uniform((64,), 0, NUM_CLASSES, dtype=tf.int32)
for step in range(5):
    loss = train_step(logits, labels)
    print(f"step {step}: loss {float(loss):.4f} temperature {float(temperature):.3f}")
