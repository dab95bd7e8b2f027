"""Healthy: transfer learning in the style of the TensorFlow "Transfer learning and
fine-tuning" tutorial, written as a subclassed model with a custom training loop. The
feature extractor is frozen with `backbone.trainable = False` and called with
`training=False`. The model overrides `trainable_variables` to return the head's
variables explicitly (pooling has none; both Dense layers are listed), and that
deliberate subset goes to `tape.gradient` and `apply_gradients`. The frozen backbone is
supposed to get no update, and it gets none. The head is supposed to train, and the loss
goes down. The `.numpy()` calls are for logging outside the tape.
---
source: https://www.tensorflow.org/tutorials/images/transfer_learning
framework: both
outcome: trains_fine
cause: none
line: []
variables: []
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
keras = tf.keras


def make_backbone():
    """Stand-in for MobileNetV2(include_top=False): a small conv feature extractor."""
    return keras.Sequential([
        keras.layers.Conv2D(8, 3, strides=2, activation='relu', name='bb_conv1'),
        keras.layers.Conv2D(16, 3, strides=2, activation='relu', name='bb_conv2'),
    ], name='backbone')


class TransferClassifier(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.backbone = make_backbone()
        self.backbone.trainable = False          # freeze the feature extractor
        self.pool = keras.layers.GlobalAveragePooling2D(name='head_pool')
        self.fc = keras.layers.Dense(32, activation='relu', name='head_fc')
        self.classifier = keras.layers.Dense(num_classes, name='head_logits')

    def call(self, x, training=False):
        feats = self.backbone(x, training=False)  # keep BN-style layers in inference mode
        return self.classifier(self.fc(self.pool(feats)))

    @property
    def trainable_variables(self):
        # only the head is optimised; the frozen backbone is left out on purpose
        return self.fc.trainable_variables + self.classifier.trainable_variables


if __name__ == '__main__':
    rng = np.random.RandomState(0)
    brightness = rng.rand(128, 1, 1, 1)
    images = (rng.rand(128, 24, 24, 3) * 2 * brightness).astype('float32')
    labels = (brightness[:, 0, 0, 0] > 0.5).astype('int32')
    ds = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(128, seed=0).batch(32)

    model = TransferClassifier(num_classes=2)
    model(images[:1])
    optimizer = keras.optimizers.Adam(1e-2)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    bb0 = [w.numpy().copy() for w in model.backbone.weights]
    print('optimised:', [v.name for v in model.trainable_variables])

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = loss_fn(y, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    for epoch in range(15):
        losses = [float(train_step(x, y).numpy()) for x, y in ds]
        if epoch % 5 == 0 or epoch == 14:
            print('epoch %2d loss %.4f' % (epoch, np.mean(losses)))
    print('backbone unchanged:', all(np.array_equal(a, w.numpy()) for a, w in zip(bb0, model.backbone.weights)))
