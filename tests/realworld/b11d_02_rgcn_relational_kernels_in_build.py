"""StellarGraph's RGCN node-classification demo printed "Gradients do not exist
for variables ['relational_graph_convolution_1/bases:0',
'relational_graph_convolution_1/coeff:0', ...]" on every epoch whenever
basis decomposition (`num_bases > 0`) was used. The layer's `build()` created
the `bases` and per-relation `coeff` weights and then immediately computed
`self.relational_kernels = [tf.einsum("ijk,k->ij", self.bases, coeff) ...]`.
`build()` runs once, outside the training tape/graph, so the kernels are frozen
constant tensors and `call()` never reads `bases`/`coeff`: the self-kernel
trains, the basis weights never do. The maintainers' fix (PR #731) computes the
relational kernels inside `call()`.
---
source: https://github.com/stellargraph/stellargraph/issues/649
framework: both
outcome: warning
cause: outside_tape
line: 56
variables: [rgcn_1/bases, rgcn_1/coeff, rgcn_2/bases, rgcn_2/coeff]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dropout, Lambda, Layer
from tensorflow.keras.models import Model
from tensorflow.keras import activations, initializers
tf.keras.utils.set_random_seed(0)


class RelationalGraphConvolution(Layer):
    def __init__(self, units, num_relationships, num_bases=0, activation=None,
                 final_layer=False, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.num_relationships = num_relationships
        self.num_bases = num_bases
        self.activation = activations.get(activation)
        self.final_layer = final_layer
        self.kernel_initializer = initializers.get(kernel_initializer)

    def build(self, input_shapes):
        feat_shape = input_shapes[0]
        input_dim = int(feat_shape[-1])

        if self.num_bases != 0:
            self.bases = self.add_weight(
                shape=(input_dim, self.units, self.num_bases),  # hyperparameter B
                initializer=self.kernel_initializer,
                name="bases",
            )
            self.coefficients = [
                self.add_weight(
                    shape=(self.num_bases,),
                    initializer=self.kernel_initializer,
                    name="coeff",
                ) for _ in range(self.num_relationships)]

            self.relational_kernels = [tf.einsum("ijk,k->ij", self.bases, coeff) for
                                       coeff in self.coefficients]
        else:
            self.bases = None
            self.coefficients = None
            self.relational_kernels = [
                self.add_weight(shape=(input_dim, self.units), initializer=self.kernel_initializer,
                                name="relational_kernel")
                for _ in range(self.num_relationships)
            ]

        self.self_kernel = self.add_weight(
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            name="self_kernel",
        )
        self.bias = None
        self.built = True

    def call(self, inputs):
        features, out_indices, *As = inputs
        # Remove singleton batch dimension
        features = tf.squeeze(features, 0)
        out_indices = tf.squeeze(out_indices, 0)

        # Calculate the layer operation of RGCN
        output = tf.matmul(features, self.self_kernel)
        for i in range(self.num_relationships):
            h_graph = tf.matmul(As[i], features)
            output += tf.matmul(h_graph, self.relational_kernels[i])

        output = self.activation(output)
        # On the final layer we gather the nodes referenced by the indices
        if self.final_layer:
            output = tf.gather(output, out_indices)
        return tf.expand_dims(output, 0)


class RGCN:
    def __init__(self, layer_sizes, n_nodes, n_feat, n_edge_types, num_bases=0,
                 dropout=0.0, activations=None):
        self.layer_sizes = layer_sizes
        self.n_nodes, self.n_feat, self.n_edge_types = n_nodes, n_feat, n_edge_types
        self._layers = []
        for ii in range(len(layer_sizes)):
            self._layers.append(Dropout(dropout))
            self._layers.append(
                RelationalGraphConvolution(
                    layer_sizes[ii],
                    num_relationships=n_edge_types,
                    num_bases=num_bases,
                    activation=activations[ii],
                    final_layer=ii == (len(layer_sizes) - 1),
                    name="rgcn_%d" % (ii + 1),
                )
            )

    def __call__(self, x):
        x_in, out_indices, *As = x
        Ainput = [Lambda(lambda A: tf.squeeze(A, 0))(A_) for A_ in As]
        h_layer = x_in
        for layer in self._layers:
            if isinstance(layer, RelationalGraphConvolution):
                h_layer = layer([h_layer, out_indices] + Ainput)
            else:
                h_layer = layer(h_layer)
        return h_layer

    def node_model(self):
        x_t = Input(batch_shape=(1, self.n_nodes, self.n_feat))
        out_indices_t = Input(batch_shape=(1, None), dtype="int32")
        A_placeholders = [Input(batch_shape=(1, self.n_nodes, self.n_nodes))
                          for _ in range(self.n_edge_types)]
        x_inp = [x_t, out_indices_t] + A_placeholders
        return x_inp, self(x_inp)


# random heterogeneous graph: 30 nodes, 8 features, 3 edge types, 4 classes
N, F, R, C = 30, 8, 3, 4
features = np.random.randn(1, N, F).astype("float32")
As = [(np.random.rand(1, N, N) < 0.1).astype("float32") for _ in range(R)]
train_idx = np.arange(20, dtype="int32")[None]
train_targets = tf.keras.utils.to_categorical(np.random.randint(0, C, 20), C)[None]

rgcn = RGCN(layer_sizes=[16, C], n_nodes=N, n_feat=F, n_edge_types=R, num_bases=2,
            dropout=0.2, activations=["relu", "softmax"])
x_in, x_out = rgcn.node_model()
model = Model(inputs=x_in, outputs=x_out)
model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["acc"])

layer1 = model.get_layer("rgcn_1")
bases_before = layer1.bases.numpy().copy()
self_before = layer1.self_kernel.numpy().copy()
model.fit([features, train_idx] + As, train_targets, epochs=3, verbose=0)
print("rgcn_1 bases changed:      ", not np.allclose(bases_before, layer1.bases.numpy()))
print("rgcn_1 self_kernel changed:", not np.allclose(self_before, layer1.self_kernel.numpy()))
