"""Healthy control adapted from the TensorFlow "Convolutional Variational
Autoencoder" tutorial: a subclassed CVAE with encoder/decoder Sequential
sub-models, the reparameterization trick (`tf.random.normal` eps on the path to
the loss), a Monte-Carlo ELBO built from `log_normal_pdf`, a `@tf.function`
train_step with GradientTape over `model.trainable_variables`, a
`@tf.function` sample() used only for generation, and `.numpy()` / metrics used
only for logging outside the tape. Random binarized "digit-like" images replace
MNIST; the loss goes down under both Kerases.
---
source: https://github.com/tensorflow/docs/blob/master/site/en/tutorials/generative/cvae.ipynb
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

# random binarized images around 4 fixed templates (stand-in for MNIST)
templates = (np.random.rand(4, 28, 28, 1) > 0.7).astype("float32")
idx = np.random.randint(0, 4, 256)
flip = (np.random.rand(256, 28, 28, 1) < 0.05).astype("float32")
train_images = np.abs(templates[idx] - flip).astype("float32")
test_images = train_images[:64]

batch_size = 32
train_dataset = tf.data.Dataset.from_tensor_slices(train_images).shuffle(256).batch(batch_size)
test_dataset = tf.data.Dataset.from_tensor_slices(test_images).batch(batch_size)


class CVAE(tf.keras.Model):
    """Convolutional variational autoencoder."""

    def __init__(self, latent_dim):
        super(CVAE, self).__init__()
        self.latent_dim = latent_dim
        self.encoder = tf.keras.Sequential([
            tf.keras.Input(shape=(28, 28, 1)),
            tf.keras.layers.Conv2D(filters=16, kernel_size=3, strides=(2, 2), activation='relu'),
            tf.keras.layers.Conv2D(filters=32, kernel_size=3, strides=(2, 2), activation='relu'),
            tf.keras.layers.Flatten(),
            # No activation
            tf.keras.layers.Dense(latent_dim + latent_dim),
        ], name="encoder")
        self.decoder = tf.keras.Sequential([
            tf.keras.Input(shape=(latent_dim,)),
            tf.keras.layers.Dense(units=7 * 7 * 16, activation=tf.nn.relu),
            tf.keras.layers.Reshape(target_shape=(7, 7, 16)),
            tf.keras.layers.Conv2DTranspose(filters=32, kernel_size=3, strides=2, padding='same', activation='relu'),
            tf.keras.layers.Conv2DTranspose(filters=16, kernel_size=3, strides=2, padding='same', activation='relu'),
            # No activation
            tf.keras.layers.Conv2DTranspose(filters=1, kernel_size=3, strides=1, padding='same'),
        ], name="decoder")

    @tf.function
    def sample(self, eps=None):
        if eps is None:
            eps = tf.random.normal(shape=(100, self.latent_dim))
        return self.decode(eps, apply_sigmoid=True)

    def encode(self, x):
        mean, logvar = tf.split(self.encoder(x), num_or_size_splits=2, axis=1)
        return mean, logvar

    def reparameterize(self, mean, logvar):
        eps = tf.random.normal(shape=tf.shape(mean))
        return eps * tf.exp(logvar * .5) + mean

    def decode(self, z, apply_sigmoid=False):
        logits = self.decoder(z)
        if apply_sigmoid:
            probs = tf.sigmoid(logits)
            return probs
        return logits


optimizer = tf.keras.optimizers.Adam(2e-3)


def log_normal_pdf(sample, mean, logvar, raxis=1):
    log2pi = tf.math.log(2. * np.pi)
    return tf.reduce_sum(-.5 * ((sample - mean) ** 2. * tf.exp(-logvar) + logvar + log2pi), axis=raxis)


def compute_loss(model, x):
    mean, logvar = model.encode(x)
    z = model.reparameterize(mean, logvar)
    x_logit = model.decode(z)
    cross_ent = tf.nn.sigmoid_cross_entropy_with_logits(logits=x_logit, labels=x)
    logpx_z = -tf.reduce_sum(cross_ent, axis=[1, 2, 3])
    logpz = log_normal_pdf(z, 0., 0.)
    logqz_x = log_normal_pdf(z, mean, logvar)
    return -tf.reduce_mean(logpx_z + logpz - logqz_x)


@tf.function
def train_step(model, x, optimizer):
    """Executes one training step and returns the loss."""
    with tf.GradientTape() as tape:
        loss = compute_loss(model, x)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


latent_dim = 2
model = CVAE(latent_dim)
random_vector_for_generation = tf.random.normal(shape=[16, latent_dim])

for epoch in range(0, 6):
    if epoch > 0:
        for train_x in train_dataset:
            train_step(model, train_x, optimizer)
    loss = tf.keras.metrics.Mean()
    for test_x in test_dataset:
        loss(compute_loss(model, test_x))
    elbo = -loss.result()
    print('Epoch: {}, Test set ELBO: {:.2f}'.format(epoch, float(elbo.numpy())))

predictions = model.sample(random_vector_for_generation)
print("generated batch:", predictions.shape)
