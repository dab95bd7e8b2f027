"""TF Model Optimization weight clustering: the `ClusterWeights` wrapper adds its own
trainable `cluster_centroids` and a non-trainable `pulling_indices` map, and in the
forward pass the wrapped layer's kernel is rebuilt from `gather(centroids, indices)`
(plus a straight-through term so the original kernel receives the gradient as well).
PR #557 ("small tidy up") changed the wrapper's overridden `trainable_weights`
property from `self.layer.trainable_weights + self._trainable_weights` to
`self.layer.trainable_weights`. The reviewer pointed out this hides the weights the
wrapper adds. It was merged by accident, and the author said that while debugging they
had not seen the centroids update. Keras 2 builds `model.trainable_weights` from each
child's `trainable_variables`, and that comes from the overridden property. So the
centroids, which the loss depends on, are never differentiated or updated by
`model.fit`, while the Dense kernel/bias train. Fix: put `+ self._trainable_weights`
back in the property. Keras 3 collects a child's `weights`, not its
`trainable_weights`, so there the override is bypassed and the centroids train.
---
source: https://github.com/tensorflow/model-optimization/pull/557
framework: keras2
outcome: trains_silently
cause: untracked_variable
line: 65
variables: [cluster_centroids]
xfail: "the `trainable_weights` override that drops the centroids belongs to a wrapper layer inside the model, and gradtrace compares overrides only on the models the training step's frame holds"
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
keras = tf.keras


class ClusterWeights(keras.layers.Wrapper):
    """Cut-down tfmot cluster_wrapper.ClusterWeights for a Dense layer."""

    def __init__(self, layer, number_of_clusters, **kwargs):
        super(ClusterWeights, self).__init__(layer, **kwargs)
        self.number_of_clusters = number_of_clusters

    def build(self, input_shape):
        self.layer.build(input_shape)
        kernel = self.layer.kernel
        # linear centroid initialisation between min and max of the kernel
        init = np.linspace(float(tf.reduce_min(kernel)), float(tf.reduce_max(kernel)),
                           self.number_of_clusters).astype('float32')
        self.cluster_centroids = self.add_weight(
            name='cluster_centroids', shape=(self.number_of_clusters,),
            initializer=keras.initializers.Constant(init), trainable=True)
        idx = np.argmin(np.abs(kernel.numpy()[..., None] - init), axis=-1).astype('int32')
        self.pulling_indices = self.add_weight(
            name='pulling_indices', shape=idx.shape, dtype='int32',
            initializer=keras.initializers.Constant(idx), trainable=False)
        super(ClusterWeights, self).build(input_shape)

    def get_clustered_weight(self):
        clustered = tf.gather(self.cluster_centroids, self.pulling_indices)
        original = self.layer.kernel
        # straight-through: the original weight gets the clustered weight's gradient too
        return clustered + original - tf.stop_gradient(original)

    def call(self, inputs):
        outputs = tf.matmul(inputs, self.get_clustered_weight()) + self.layer.bias
        return self.layer.activation(outputs)

    @property
    def trainable_weights(self):
        return self.layer.trainable_weights

    @property
    def non_trainable_weights(self):
        return self.layer.non_trainable_weights + [self.pulling_indices]


if __name__ == '__main__':
    rng = np.random.RandomState(0)
    x = rng.randn(128, 6).astype('float32')
    y = (x @ rng.randn(6, 1) + 0.5).astype('float32')
    inp = keras.Input((6,))
    h = ClusterWeights(keras.layers.Dense(16, activation='relu', name='dense_h'), 4,
                       name='cluster_dense_h')(inp)
    out = keras.layers.Dense(1, name='dense_out')(h)
    model = keras.Model(inp, out)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss='mse')
    wrapper = model.get_layer('cluster_dense_h')
    c0 = wrapper.cluster_centroids.numpy().copy()
    k0 = wrapper.layer.kernel.numpy().copy()
    print('model trainable weights:', [w.name for w in model.trainable_weights])
    model.fit(x, y, batch_size=32, epochs=3, verbose=0)
    print('dense_h kernel change:   ', np.abs(wrapper.layer.kernel.numpy() - k0).max())
    print('cluster_centroids change:', np.abs(wrapper.cluster_centroids.numpy() - c0).max())
